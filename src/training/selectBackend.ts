// Picks the backend at run time: WebGPU when asked for (or preferred) and `navigator.gpu` yields an
// adapter and device, the CPU otherwise, with the reason for the fallback in words.

import type { BackendChoice, BackendName, NetworkShape } from './backend';
import { CpuBackend } from './cpuBackend';
import type { DType } from './dtype';
import { createWebGpuBackend } from './webgpuBackend';

export interface BackendRequest {
  /** 'auto' tries WebGPU first. */
  backend: BackendName | 'auto';
  shape: NetworkShape;
  dtype: DType;
  /** The largest batch the backend will see (WebGPU sizes its buffers once). */
  maxRows: number;
  /** Defaults to globalThis.navigator?.gpu. */
  gpu?: GPU | null;
}

export async function selectBackend(request: BackendRequest): Promise<BackendChoice> {
  const cpu = () => new CpuBackend(request.shape, request.dtype);
  if (request.backend === 'cpu') return { backend: cpu(), fallbackReason: null };
  const gpu = request.gpu !== undefined ? request.gpu : (globalThis as { navigator?: { gpu?: GPU } }).navigator?.gpu ?? null;
  if (!gpu) return { backend: cpu(), fallbackReason: 'WebGPU is not available here (no navigator.gpu); training on the CPU' };
  if (request.dtype !== 'float32') {
    return { backend: cpu(), fallbackReason: 'WebGPU computes in float32 only; float64 training runs on the CPU' };
  }
  try {
    const backend = await createWebGpuBackend(gpu, request.shape, request.maxRows);
    return { backend, fallbackReason: null };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { backend: cpu(), fallbackReason: `WebGPU failed (${reason}); training on the CPU` };
  }
}
