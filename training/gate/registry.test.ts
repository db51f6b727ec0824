import { describe, expect, it } from 'vitest';
import {
  addToRegistry,
  emptyRegistry,
  freeVersion,
  historyCardPath,
  lastEntryFor,
  parseRegistry,
  RegistryError,
} from './registry';
import { fakeSha, makeCard } from './test-cards';

describe('registry', () => {
  it('adds a card as an entry with its figures and kept-card path', () => {
    const card = makeCard({ version: '2026-11-27.1', auc: 0.91 });
    const { registry, added, entry } = addToRegistry(emptyRegistry(), card);
    expect(added).toBe(true);
    expect(entry).toEqual({
      version: '2026-11-27.1',
      date: '2026-11-27T10:00:00.000Z',
      data: { source: 'synthetic', sha256: fakeSha('d'), rows: 200_000 },
      holdoutAuc: 0.91,
      cvAucMean: 0.909,
      cvAucStd: 0.002,
      modelSha256: fakeSha('a'),
      card: 'history/2026-11-27.1/model-card.json',
    });
    expect(registry.models).toEqual([entry]);
  });

  it('is idempotent by model SHA-256', () => {
    const card = makeCard();
    const once = addToRegistry(emptyRegistry(), card).registry;
    const twice = addToRegistry(once, { ...card, version: 'renamed' });
    expect(twice.added).toBe(false);
    expect(twice.registry).toBe(once);
    expect(twice.entry.version).toBe(card.version);
  });

  it('refuses a new model under a version already taken', () => {
    const r = addToRegistry(emptyRegistry(), makeCard({ version: 'v1' })).registry;
    expect(() => addToRegistry(r, makeCard({ version: 'v1', modelSha: fakeSha('b') }))).toThrow(
      /Version v1 is already registered for another model \(sha256 aaaaaaaaaaaa/,
    );
  });

  it('finds the last entry of a kind of data, synthetic entries without a kind counting as shapes', () => {
    let r = emptyRegistry();
    r = addToRegistry(r, makeCard({ version: 'k1', source: 'kaggle', modelSha: fakeSha('1') })).registry;
    r = addToRegistry(r, makeCard({ version: 'k2', source: 'kaggle', modelSha: fakeSha('2') })).registry;
    r = addToRegistry(r, makeCard({ version: 's1', modelSha: fakeSha('3') })).registry;
    r = addToRegistry(r, makeCard({ version: 'r1', kind: 'realistic', modelSha: fakeSha('4') })).registry;
    r = addToRegistry(r, makeCard({ version: 's2', kind: 'shapes', modelSha: fakeSha('5') })).registry;
    expect(lastEntryFor(r, 'kaggle')?.version).toBe('k2');
    expect(lastEntryFor(r, 'realistic')?.version).toBe('r1');
    expect(lastEntryFor(r, 'shapes')?.version).toBe('s2');
    expect(r.models.map((e) => e.data.kind)).toEqual([
      undefined,
      undefined,
      undefined,
      'realistic',
      'shapes',
    ]);
    expect(lastEntryFor(r, 'other')).toBeUndefined();
    const bad = JSON.parse(JSON.stringify(r));
    bad.models[3].data.kind = 'gaussian';
    expect(() => parseRegistry(bad)).toThrow(/entry 3 \(r1\): bad data\.kind/);
  });

  it('round-trips through JSON and rejects broken files', () => {
    const r = addToRegistry(emptyRegistry(), makeCard()).registry;
    expect(parseRegistry(JSON.parse(JSON.stringify(r)))).toEqual(r);
    expect(() => parseRegistry({ schema: 2, models: [] })).toThrow(RegistryError);
    const bad = JSON.parse(JSON.stringify(r));
    bad.models[0].holdoutAuc = null;
    expect(() => parseRegistry(bad)).toThrow(/entry 0 \(2026-11-27\.1\): holdoutAuc is not a finite number/);
    const dup = { schema: 1, models: [r.models[0], { ...r.models[0], version: 'other' }] };
    expect(() => parseRegistry(dup)).toThrow(/listed twice/);
  });

  it('refuses versions that would escape models/history', () => {
    expect(() => historyCardPath('../../etc')).toThrow(RegistryError);
    expect(historyCardPath('v1.2_b-3')).toBe('history/v1.2_b-3/model-card.json');
  });
});

describe('freeVersion', () => {
  const registry = [
    makeCard({ version: 'v1', modelSha: fakeSha('1') }),
    makeCard({ version: 'v1.2', modelSha: fakeSha('2') }),
  ].reduce((r, c) => addToRegistry(r, c).registry, emptyRegistry());
  const model = (version: string, digit: string) => ({ version, modelSha256: fakeSha(digit) });

  it('keeps a version nobody has, or the one this very model has', () => {
    expect(freeVersion(registry, model('v9', '9'))).toBe('v9');
    expect(freeVersion(registry, model('v1', '1'))).toBe('v1');
    expect(freeVersion(emptyRegistry(), model('v1', '3'), model('v1', '3'))).toBe('v1');
  });

  it('gives a different model the next free .N', () => {
    expect(freeVersion(registry, model('v1', '3'))).toBe('v1.3');
    expect(freeVersion(emptyRegistry(), model('v1', '3'), model('v1', '4'))).toBe('v1.2');
  });

  it('continues the line of a taken .N version instead of nesting another .N', () => {
    // The pipeline retrains under the live version (v1.2); a different model then is v1.3, not v1.2.2.
    expect(freeVersion(registry, model('v1.2', '3'))).toBe('v1.3');
    expect(freeVersion(registry, model('v1.2', '3'), model('v1.2', '4'))).toBe('v1.3');
  });

  it('lets the registry win over a live card that reused a registered version', () => {
    // The live model (sha 3) was retrained under v1, which the registry gives to sha 1: it is not v1.
    expect(freeVersion(registry, model('v1', '3'), model('v1', '3'))).toBe('v1.3');
  });

  it('keeps the version of a model the registry already lists under another one', () => {
    expect(freeVersion(registry, model('v7', '2'))).toBe('v7');
  });
});
