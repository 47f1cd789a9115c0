import { UNAPPLIED_REASONS } from '@igepay/shared';
import { describe, expect, it } from 'vitest';
import { langOf, STRINGS, timeText } from '../src/i18n.js';

describe("the dashboard's words", () => {
  it('has every string in every language', () => {
    const [zh, en] = [STRINGS['zh-CN'], STRINGS.en];
    expect(Object.keys(en).sort()).toEqual(Object.keys(zh).sort());
    expect(Object.keys(en.actions).sort()).toEqual(Object.keys(zh.actions).sort());
  });

  it('says every reason a notification may be kept unapplied in words, never its code', () => {
    for (const strings of Object.values(STRINGS)) {
      for (const reason of UNAPPLIED_REASONS) {
        expect(strings.reasonText(reason)).not.toBe(reason);
        expect(strings.keptUnapplied(reason)).toContain(strings.reasonText(reason));
      }
    }
  });

  it('has words for every action the audit trail records', () => {
    for (const action of ['sign-in', 'sign-in-refused', 'sign-out', 'sign-out-all', 'redeliver', 'resolve']) {
      expect(STRINGS['zh-CN'].actions[action]).toBeTruthy();
      expect(STRINGS.en.actions[action]).toBeTruthy();
    }
  });

  it('speaks Chinese unless English is asked for, by the page or the browser', () => {
    expect(langOf('', [])).toBe('zh-CN');
    expect(langOf('', ['en-GB', 'zh-CN'])).toBe('en');
    expect(langOf('?lang=zh-CN', ['en-US'])).toBe('zh-CN');
    expect(langOf('?lang=en', ['zh-CN'])).toBe('en');
    expect(langOf('', ['fr-FR'])).toBe('zh-CN');
  });

  it('writes no time for none, and a time in the language of the page', () => {
    expect(timeText(null, 'en')).toBe('');
    const iso = '2026-12-07T08:09:10.000Z';
    expect(timeText(iso, 'en')).toMatch(/2026/);
    expect(timeText(iso, 'zh-CN')).toMatch(/2026年/);
  });
});
