// JSON out of a model's text answer: the whole text, a ```json fenced block, or the first balanced {...}
// object (strings and escapes respected), for servers without structured output.

export type Extracted = { ok: true; value: unknown } | { ok: false; error: string };

function tryParse(text: string): Extracted {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (e) {
    return { ok: false, error: (e as Error).message };
  }
}

/** The first balanced top-level {...} in `text`, or undefined. */
export function firstJsonObject(text: string): string | undefined {
  for (let start = text.indexOf('{'); start >= 0; start = text.indexOf('{', start + 1)) {
    let depth = 0;
    let inString = false;
    for (let i = start; i < text.length; i++) {
      const ch = text[i];
      if (inString) {
        if (ch === '\\') i++;
        else if (ch === '"') inString = false;
      } else if (ch === '"') inString = true;
      else if (ch === '{') depth++;
      else if (ch === '}' && --depth === 0) {
        const candidate = text.slice(start, i + 1);
        if (tryParse(candidate).ok) return candidate;
        break;
      }
    }
  }
  return undefined;
}

export function extractJson(text: string): Extracted {
  const trimmed = text.trim();
  const whole = tryParse(trimmed);
  if (whole.ok) return whole;
  for (const m of trimmed.matchAll(/```(?:json|JSON)?\s*\n([\s\S]*?)```/g)) {
    const fenced = tryParse(m[1].trim());
    if (fenced.ok) return fenced;
  }
  const obj = firstJsonObject(trimmed);
  if (obj !== undefined) return tryParse(obj);
  return { ok: false, error: trimmed ? `no JSON object found (${whole.error})` : 'the answer was empty' };
}
