// The progress bar appears only on a terminal, and says sim time, events/s and ETA there.

import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { test } from 'node:test';
import { createProgress, formatCount, silentProgress } from './progress.ts';

function sink(isTTY: boolean): Writable & { isTTY: boolean; text: () => string } {
  let text = '';
  const w = new Writable({
    write(chunk, _enc, done) {
      text += String(chunk);
      done();
    },
  });
  return Object.assign(w, { isTTY, columns: 120, text: () => text });
}

test('not a terminal: silent, and the reporter is the shared no-op', () => {
  const s = sink(false);
  const p = createProgress({ stream: s, title: 'quickstart' });
  assert.equal(p, silentProgress);
  p.start(86400);
  p.update(43200, 1000);
  p.stop();
  assert.equal(s.text(), '');
});

test('a terminal: the bar shows the title, simulated days, events/s and an ETA', () => {
  const s = sink(true);
  const p = createProgress({ stream: s, title: 'quickstart' });
  p.start(7 * 86400);
  p.update(3.5 * 86400, 5000);
  p.stop();
  p.stop(); // idempotent
  p.update(7 * 86400, 6000); // after stop: ignored
  const text = s.text();
  assert.match(text, /quickstart/);
  assert.match(text, /sim 3\.5d\/7\.0d/);
  assert.match(text, /ev\/s/);
  assert.match(text, /ETA/);
  assert.match(text, /50%/);
});

test('counts are short: 950, 12.3k, 4.56M', () => {
  assert.equal(formatCount(950), '950');
  assert.equal(formatCount(12_345), '12.3k');
  assert.equal(formatCount(4_560_000), '4.56M');
  assert.equal(formatCount(Infinity), '-');
});
