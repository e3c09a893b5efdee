import { describe, expect, it } from 'vitest';
import { samplingMessages } from './server-question.js';

describe('samplingMessages', () => {
  it('reads text, names other content by type, and takes content arrays (2025-11-25)', () => {
    expect(
      samplingMessages({
        messages: [
          { role: 'user', content: { type: 'text', text: 'what is in this picture?' } },
          {
            role: 'user',
            content: [
              { type: 'image', data: 'AAAA' },
              { type: 'text', text: 'and this' },
            ],
          },
          { content: 'not an object' },
        ],
      }),
    ).toEqual([
      { role: 'user', text: 'what is in this picture?' },
      { role: 'user', text: '[image] and this' },
      { role: 'unknown', text: '[content]' },
    ]);
  });

  it('has nothing to show when the server sent no messages', () => {
    expect(samplingMessages({})).toEqual([]);
  });
});
