import { describe, expect, it } from 'vitest';
import { versionLabels } from './version-labels';

describe('versionLabels', () => {
  it('drops the part every version shares up to a dash', () => {
    expect(versionLabels(['387c459c-s1.1', '387c459c-s1.2', '387c459c-s1.3'])).toEqual({
      prefix: '387c459c-',
      labels: ['s1.1', 's1.2', 's1.3'],
    });
    expect(versionLabels(['a-b-1', 'a-b-2', 'a-c-1'])).toEqual({
      prefix: 'a-',
      labels: ['b-1', 'b-2', 'c-1'],
    });
  });

  it('keeps the names when they share nothing up to a dash, or when there is one', () => {
    expect(versionLabels(['387c459c-s1.1', '9f00aa12-s1.1'])).toEqual({
      prefix: '',
      labels: ['387c459c-s1.1', '9f00aa12-s1.1'],
    });
    expect(versionLabels(['x-1', 'x-'])).toEqual({ prefix: '', labels: ['x-1', 'x-'] });
    expect(versionLabels(['only-one'])).toEqual({ prefix: '', labels: ['only-one'] });
  });
});
