// A small folder of sources in every format, written to a temp directory for each case that changes files.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writePdf } from './pdf-writer.ts';

export const REGIMES_MD = `# Regimes

Markets alternate between trending and ranging regimes. A hidden Markov model infers the regime from returns.

## Transitions

A transition is confirmed when the filtered probability of the new regime stays above a threshold.
Enter long on a confirmed transition into the trending-up regime when the fast EMA is above the slow EMA.

## Risk

Place the stop two ATR below the entry; leave when the regime ends.
`;

export const BREAKOUT_TXT = `Opening range breakout

Mark the high and low of the first hour. Buy a close above the range high, sell a close below the range low.
Volume should be above its twenty bar average on the breakout bar.
`;

export const IDEA_YML = `name: funding_fade
idea: fade extreme perpetual funding rates
rules:
  - short when funding is in the top percentile
  - cover when funding normalises
`;

export const PDF_PAGES = [
  ['Wyckoff springs', 'A spring undercuts the trading range low and closes back inside.'],
  ['Volume', 'Low volume on the spring shows supply is exhausted.'],
];

export const MANIFEST = `skip: [README.md, LICENSES]
documents:
  regimes.md: { licence: MIT, origin: Playforge, title: Regime notes }
  paper.pdf: { licence: CC-BY-4.0, origin: "someone/papers@abc:paper.pdf", licence_file: LICENSES/CC-BY.txt }
`;

export interface Fixture {
  /** The temp directory: use it as the store's cwd, so documents are stored as notes/... */
  root: string;
  notes: string;
  write(rel: string, content: string | Uint8Array): string;
  remove(): void;
}

export function makeFixture(): Fixture {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'pf-knowledge-fixture-'));
  const write = (rel: string, content: string | Uint8Array): string => {
    const file = path.join(root, rel);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, content);
    return file;
  };
  write('notes/regimes.md', REGIMES_MD);
  write('notes/breakout.txt', BREAKOUT_TXT);
  write('notes/idea.yml', IDEA_YML);
  write('notes/paper.pdf', writePdf(PDF_PAGES, 'Springs and volume'));
  write('notes/image.png', new Uint8Array([0x89, 0x50, 0x4e, 0x47]));
  write('notes/empty.md', '\n  \n');
  write('notes/README.md', '# About this folder\nnot a document\n');
  write('notes/LICENSES/CC-BY.txt', 'licence text, not a document\n');
  write('notes/.hidden.md', '# hidden\n');
  write('notes/sources.yml', MANIFEST);
  write('notes/sub/deep.md', '# Deep\n\nA note in a subfolder about order blocks.\n');
  return { root, notes: path.join(root, 'notes'), write, remove: () => fs.rmSync(root, { recursive: true, force: true }) };
}
