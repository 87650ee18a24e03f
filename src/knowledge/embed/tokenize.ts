// Words for the offline embedder and the keyword index: NFKC, lower case, letters and digits (any script),
// with English function words removed so they do not dominate either.

const WORD = /[\p{L}\p{N}]+/gu;

// Short, conventional English stop list: words that carry no topic.
export const STOP_WORDS: ReadonlySet<string> = new Set(
  (
    'a an and are as at be been being but by can could did do does doing for from had has have having he her here hers him his how i if in into is it its ' +
    'just me more most my no nor not of off on once only or other our out over own same she should so some such than that the their them then there ' +
    'these they this those through to too under until up very was we were what when where which while who whom why will with would you your yours'
  ).split(' '),
);

/** All words of `text` in order, stop words included. */
export function words(text: string): string[] {
  return text.normalize('NFKC').toLowerCase().match(WORD) ?? [];
}

/** Words that carry meaning: stop words dropped. */
export function contentWords(text: string): string[] {
  return words(text).filter((w) => !STOP_WORDS.has(w));
}
