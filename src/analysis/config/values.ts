// Reading values out of a config tree: OmegaConf/Hydra `${...}` interpolations resolved within the file,
// and ArgumentInfo/CallInfo records (the value ranges Apply edits) built from config maps.
import type { PyLike } from '../../engine/case';
import { pyStr } from '../../engine/python/values';
import type { ArgumentInfo, CallInfo } from '../types';
import { child, type ConfigNode } from './tree';

export interface Resolved {
  value: PyLike | undefined;
  /** What could not be resolved, by name (an interpolation, a resolver, an expression). */
  missing: string[];
}

const WHOLE = /^\$\{([^${}]+)\}$/;
const ANY = /\$\{([^${}]+)\}/g;

/** Parents of every node, so relative interpolations (`${.x}`, `${..x}`) can walk up. */
export class ConfigResolver {
  private readonly parents = new Map<ConfigNode, ConfigNode>();

  constructor(readonly root: ConfigNode) {
    const visit = (node: ConfigNode) => {
      for (const e of node.entries) {
        this.parents.set(e.value, node);
        visit(e.value);
      }
      for (const item of node.items) {
        this.parents.set(item, node);
        visit(item);
      }
    };
    visit(root);
  }

  /** The node's value with interpolations resolved; maps and lists become dicts and lists. */
  resolve(node: ConfigNode, seen: Set<ConfigNode> = new Set()): Resolved {
    if (seen.has(node)) return { value: undefined, missing: [`${node.text} (interpolation cycle)`] };
    if (node.kind === 'map') {
      const value: { [key: string]: PyLike } = {};
      const missing: string[] = [];
      for (const e of node.entries) {
        const r = this.resolve(e.value, seen);
        missing.push(...r.missing);
        if (r.value !== undefined) value[e.key] = r.value;
      }
      return { value, missing };
    }
    if (node.kind === 'seq') {
      const items = node.items.map((item) => this.resolve(item, seen));
      return { value: items.map((r) => (r.value === undefined ? null : r.value)), missing: items.flatMap((r) => r.missing) };
    }
    if (node.value === undefined) return { value: undefined, missing: [node.text] };
    if (typeof node.value !== 'string' || !node.value.includes('${')) return { value: node.value, missing: [] };
    const nextSeen = new Set(seen).add(node);
    const whole = WHOLE.exec(node.value);
    if (whole) return this.interpolate(whole[1].trim(), node, nextSeen);
    const missing: string[] = [];
    const text = node.value.replace(ANY, (_, inner: string) => {
      const r = this.interpolate(inner.trim(), node, nextSeen);
      missing.push(...r.missing);
      return r.value === undefined ? '' : pyStr(r.value);
    });
    return { value: missing.length ? undefined : text, missing };
  }

  private interpolate(reference: string, from: ConfigNode, seen: Set<ConfigNode>): Resolved {
    // `${oc.env:HOME}`, `${eval:...}`: resolvers run Python at load time; LR Lens does not.
    if (/^[\w.]+:/.test(reference)) return { value: undefined, missing: [`\${${reference}}`] };
    const target = this.find(reference, from);
    if (!target) return { value: undefined, missing: [`\${${reference}}`] };
    return this.resolve(target, seen);
  }

  private find(reference: string, from: ConfigNode): ConfigNode | undefined {
    let base: ConfigNode | undefined = this.root;
    let path = reference;
    if (reference.startsWith('.')) {
      // One dot is the containing node; each further dot goes one level up.
      base = this.parents.get(from);
      let dots = /^\.+/.exec(reference)![0].length;
      path = reference.slice(dots);
      while (dots-- > 1 && base) base = this.parents.get(base);
    }
    for (const part of path.split(/\.|\[(\d+)\]/).filter((p) => p !== undefined && p !== '')) {
      if (!base) return undefined;
      base = base.kind === 'seq' && /^\d+$/.test(part) ? base.items[Number(part)] : child(base, part);
    }
    return base;
  }
}

/** Keys that configure the instantiation itself, not the constructor. */
const META_KEYS = new Set(['_target_', '_partial_', '_recursive_', '_convert_', '_args_', 'class_path', 'init_args', 'dict_kwargs', 'type']);

export function argumentsOf(resolver: ConfigResolver, node: ConfigNode | undefined, skip: Set<string> = META_KEYS): { args: ArgumentInfo[]; missing: string[] } {
  const args: ArgumentInfo[] = [];
  const missing: string[] = [];
  for (const e of node?.entries ?? []) {
    if (skip.has(e.key)) continue;
    const r = resolver.resolve(e.value);
    missing.push(...r.missing.map((m) => `${e.key}: ${m}`));
    const info: ArgumentInfo = { name: e.key, position: null, text: e.value.text, range: e.value.range };
    if (r.value !== undefined) info.value = r.value;
    args.push(info);
  }
  return { args, missing };
}

export function callInfo(type: string, variable: string | null, node: ConfigNode, argsNode: ConfigNode | undefined, args: ArgumentInfo[]): CallInfo {
  return { type, variable, range: node.range, argumentsRange: (argsNode ?? node).range, arguments: args };
}
