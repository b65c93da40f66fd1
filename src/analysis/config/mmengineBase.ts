// mmengine configs inherit: `_base_ = ['../_base_/schedules/schedule_1x.py', ...]` loads those files first
// (their own `_base_` too), and the file's keys are merged on top as mmengine's Config does: a dict merges
// into the base's dict key by key (unless it says `_delete_=True`), anything else (a list, a number)
// replaces the base's value. Nodes that come from a base file are marked in `inherited` with that file, so
// nothing there is edited in the analysed file.
import type { AnalysisOptions } from '../types';
import { parsePythonConfig } from './pythonTree';
import { entry, mapNode, type ConfigDocument, type ConfigEntry, type ConfigNode } from './tree';

/** A base chain deeper than this is taken for a cycle. */
const MAX_BASE_DEPTH = 16;

/**
 * The analysed file merged onto its `_base_` files, as mmengine loads it (the file itself when it has none);
 * `inherited` marks the nodes from base files, `missingBases` lists the bases that could not be read.
 */
export function withBases(doc: ConfigDocument, read: AnalysisOptions['readRelative']): ConfigDocument {
  const inherited = new Map<ConfigNode, string>();
  const missingBases: string[] = [];
  const root = mergedRoot(doc, '', read, inherited, missingBases, 0);
  return root === doc.root && !missingBases.length ? doc : { ...doc, root, inherited, missingBases };
}

function mergedRoot(doc: ConfigDocument, folder: string, read: AnalysisOptions['readRelative'], inherited: Map<ConfigNode, string>, missing: string[], depth: number): ConfigNode {
  const bases = basePaths(doc.root);
  if (!bases.length) return doc.root;
  let merged: ConfigNode | null = null;
  for (const base of bases) {
    const path = joinRelative(folder, base);
    const text = depth < MAX_BASE_DEPTH && read ? read(path) : null;
    const parsed = text === null || text === undefined ? null : parsePythonConfig(path, text);
    if (!parsed || parsed.errors.length) {
      missing.push(path);
      continue;
    }
    const baseRoot = mergedRoot(parsed, parentFolder(path), read, inherited, missing, depth + 1);
    markInherited(baseRoot, path, inherited);
    merged = merged ? mergeInto(merged, baseRoot) : baseRoot;
  }
  return merged ? mergeInto(merged, doc.root) : doc.root;
}

/** `_base_`: one path or a list of them. */
function basePaths(root: ConfigNode): string[] {
  const value = entry(root, '_base_')?.value;
  const items = value?.kind === 'seq' ? value.items : value ? [value] : [];
  return items.flatMap((item) => (typeof item.value === 'string' ? [item.value] : []));
}

function markInherited(node: ConfigNode, path: string, inherited: Map<ConfigNode, string>): void {
  if (inherited.has(node)) return;
  inherited.set(node, path);
  for (const e of node.entries) markInherited(e.value, path, inherited);
  for (const item of node.items) markInherited(item, path, inherited);
}

/** `child` merged onto `base` (mmengine's Config._merge_a_into_b). */
function mergeInto(base: ConfigNode, child: ConfigNode): ConfigNode {
  if (base.kind !== 'map' || child.kind !== 'map' || entry(child, '_delete_')?.value.value === true) return withoutDelete(child);
  const entries: ConfigEntry[] = base.entries.map((e) => {
    const own = entry(child, e.key);
    return own ? { ...own, value: mergeInto(e.value, own.value) } : e;
  });
  // The analysed file's own `_base_` stays (the lens of an inherited schedule sits on it); a base's is spent.
  for (const e of child.entries) if (!entry(base, e.key) && e.key !== '_delete_') entries.push(e);
  return mapNode(entries, child.range, child.text);
}

function withoutDelete(node: ConfigNode): ConfigNode {
  return node.kind === 'map' && entry(node, '_delete_') ? mapNode(node.entries.filter((e) => e.key !== '_delete_'), node.range, node.text) : node;
}

/** `folder/relative` with `.` and `..` resolved, `/`-separated; paths stay relative to the analysed file's folder. */
export function joinRelative(folder: string, relative: string): string {
  const parts: string[] = [];
  for (const part of `${folder}/${relative}`.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..' && parts.length && parts[parts.length - 1] !== '..') parts.pop();
    else parts.push(part);
  }
  return parts.join('/');
}

function parentFolder(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash < 0 ? '' : path.slice(0, slash);
}
