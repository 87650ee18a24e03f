// Turns zod issues into positioned PlayforgeErrors with our stable DSL_* codes.
import type { z } from 'zod';
import { PlayforgeError } from '../../common/errors.ts';
import { pathToString, type PathSeg, type PositionIndex } from '../yaml-positions.ts';

const BAD_TF_KEY = /^(htf|ltf|mtf|exec_tf|tf)$/i;
const RESERVED = new Set(['allow_flip', 'allow_scale_in', 'allow_scale_out']);

export function zodIssuesToErrors(issues: readonly z.core.$ZodIssue[], positions: PositionIndex): PlayforgeError[] {
  const out: PlayforgeError[] = [];
  // A mapping with an unknown key and a missing field usually has one misspelled key: report the key only.
  const withUnknownKeys = new Set(issues.filter((i) => i.code === 'unrecognized_keys').map((i) => JSON.stringify(i.path)));
  for (const i of issues) {
    const path = i.path.filter((p): p is PathSeg => typeof p !== 'symbol');
    if (i.code === 'invalid_type' && i.input === undefined && withUnknownKeys.has(JSON.stringify(path.slice(0, -1)))) continue;
    const where = pathToString(path) || 'play';
    switch (i.code) {
      case 'unrecognized_keys':
        for (const key of i.keys) {
          const keyPath = [...path, key];
          const loc = positions.keyAt(keyPath);
          if (path.length === 1 && path[0] === 'timeframes' && BAD_TF_KEY.test(key)) {
            out.push(new PlayforgeError('DSL_BAD_TIMEFRAME_KEY', `timeframes: '${key}' is not a timeframe key; use low_tf, med_tf, high_tf and exec`, loc));
          } else if (path.length === 1 && path[0] === 'position_policy' && RESERVED.has(key)) {
            out.push(new PlayforgeError('DSL_RESERVED_FIELD', `position_policy.${key} is reserved and not supported; remove it`, loc));
          } else {
            out.push(new PlayforgeError('DSL_UNKNOWN_KEY', `unknown key '${key}' in ${where}`, loc));
          }
        }
        break;
      case 'invalid_type':
        if (i.input === undefined) {
          const field = path[path.length - 1];
          const parent = pathToString(path.slice(0, -1)) || 'play';
          out.push(new PlayforgeError('DSL_MISSING_FIELD', `${parent}: missing required field '${String(field)}'`, positions.at(path.slice(0, -1))));
        } else if ((i.expected === 'number' || i.expected === 'int') && looksRanged(i.input)) {
          out.push(new PlayforgeError('DSL_RANGE_NOT_ALLOWED', `${where}: a list of choices or a range is not allowed here; give one value`, positions.at(path)));
        } else {
          const got = i.input === null ? 'nothing' : Array.isArray(i.input) ? 'a list' : typeof i.input === 'object' ? 'a mapping' : JSON.stringify(i.input);
          const expected = i.expected === 'int' ? 'an integer' : i.expected === 'object' ? 'a mapping' : i.expected === 'array' ? 'a list' : `a ${i.expected}`;
          out.push(new PlayforgeError('DSL_TYPE_MISMATCH', `${where}: expected ${expected}, got ${got}`, positions.at(path)));
        }
        break;
      case 'invalid_value':
        out.push(new PlayforgeError('DSL_INVALID_VALUE', `${where}: ${JSON.stringify(i.input)} is not one of ${i.values.map((v) => JSON.stringify(v)).join(', ')}`, positions.at(path)));
        break;
      case 'too_small':
      case 'too_big': {
        const bound = i.code === 'too_small' ? `${i.inclusive ? '>=' : '>'} ${String(i.minimum)}` : `${i.inclusive ? '<=' : '<'} ${String(i.maximum)}`;
        const code = i.origin === 'number' || i.origin === 'int' ? 'DSL_OUT_OF_BOUNDS' : 'DSL_INVALID_VALUE';
        const what = i.origin === 'number' || i.origin === 'int' ? `${JSON.stringify(i.input)} is out of bounds (must be ${bound})` : `needs a length ${bound}`;
        out.push(new PlayforgeError(code, `${where}: ${what}`, positions.at(path)));
        break;
      }
      case 'custom': {
        // A missing field has no position of its own: PositionIndex.at falls back to its parent mapping.
        const params = i.params as { code?: string; atKey?: boolean } | undefined;
        const code = params?.code ?? 'DSL_INVALID_VALUE';
        out.push(new PlayforgeError(code, `${where}: ${i.message}`, params?.atKey ? positions.keyAt(path) : positions.at(path)));
        break;
      }
      default:
        out.push(new PlayforgeError(i.code === 'invalid_union' ? 'DSL_TYPE_MISMATCH' : 'DSL_INVALID_VALUE', `${where}: ${i.message}`, positions.at(path)));
    }
  }
  return out;
}

/** A list of choices or a {min, max} mapping written where one number is expected. */
function looksRanged(v: unknown): boolean {
  if (Array.isArray(v)) return v.length === 0 || v.every((x) => typeof x === 'number');
  return typeof v === 'object' && v !== null && 'min' in v && 'max' in v;
}
