// Every config reader over one parsed document; each recognises its own convention and ignores the rest.
import type { AnalysisOptions } from '../types';
import { readClassSpecs } from './classSpecs';
import { readHuggingFace } from './huggingface';
import { readKeras } from './keras';
import { readMmengine } from './mmengine';
import type { FoundSchedule } from './schedule';
import { readTimmArgs } from './timm';
import type { ConfigDocument } from './tree';

export function readConfigSchedules(doc: ConfigDocument, options: AnalysisOptions): FoundSchedule[] {
  if (doc.format === 'python') return readMmengine(doc, options);
  return [...readClassSpecs(doc, options), ...readHuggingFace(doc, options), ...readKeras(doc, options), ...readTimmArgs(doc, options)];
}
