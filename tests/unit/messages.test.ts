// The guards each side runs on what arrives over postMessage: only the contract's own messages get through.
import { describe, expect, it } from 'vitest';
import {
  ADMIN_TOKEN_QUESTION,
  isAdminTokenQuestion,
  isEventMessage,
  isRequestMessage,
  type EventMessage,
  type RequestType,
} from '../../contract/messages.ts';

const REQUEST_TYPES: RequestType[] = [
  'save-article',
  'save-page',
  'remove-article',
  'retry-article',
  'list-offline',
  'list-readable',
  'drain-outbox',
  'get-settings',
  'update-settings',
  'activity-log',
  'clear-offline-data',
  'mark-read',
  'set-read',
  'read-marks',
  'queue-action',
  'list-actions',
  'retry-action',
  'remove-action',
  'forget-admin-token',
  'refresh-digest',
  'skip-waiting',
];
const EVENT_TYPES: Array<EventMessage['type']> = [
  'offline-entry',
  'offline-entry-removed',
  'action-changed',
  'action-removed',
  'activity',
  'settings',
  'navigate',
];

const NOT_MESSAGES: unknown[] = [
  null,
  undefined,
  0,
  'save-article',
  true,
  [],
  ['save-article'],
  {},
  { type: 42 },
  { type: null },
  { kind: 'save-article' },
];

describe('isRequestMessage', () => {
  it.each(REQUEST_TYPES)('accepts %s', (type) => {
    expect(isRequestMessage({ type, payload: null })).toBe(true);
  });

  it('refuses what is not a request: events, the token question, unknown types, non-objects', () => {
    for (const data of [
      ...NOT_MESSAGES,
      ...EVENT_TYPES.map((type) => ({ type })),
      { type: ADMIN_TOKEN_QUESTION },
      { type: 'SAVE-ARTICLE' },
      { type: 'toString' },
    ]) {
      expect(isRequestMessage(data), JSON.stringify(data)).toBe(false);
    }
  });
});

describe('isEventMessage', () => {
  it.each(EVENT_TYPES)('accepts %s', (type) => {
    expect(isEventMessage({ type })).toBe(true);
  });

  it('refuses requests, the token question, unknown types and non-objects', () => {
    for (const data of [
      ...NOT_MESSAGES,
      ...REQUEST_TYPES.map((type) => ({ type })),
      { type: ADMIN_TOKEN_QUESTION },
      { type: 'offline-entries' },
    ]) {
      expect(isEventMessage(data), JSON.stringify(data)).toBe(false);
    }
  });
});

describe('isAdminTokenQuestion', () => {
  it('accepts the one question', () => {
    expect(isAdminTokenQuestion({ type: ADMIN_TOKEN_QUESTION })).toBe(true);
    expect(isAdminTokenQuestion({ type: 'admin-token-question' })).toBe(true);
  });

  it('refuses everything else', () => {
    for (const data of [
      ...NOT_MESSAGES,
      ADMIN_TOKEN_QUESTION,
      { type: 'admin-token' },
      { token: 'x' },
      ...REQUEST_TYPES.map((type) => ({ type })),
      ...EVENT_TYPES.map((type) => ({ type })),
    ]) {
      expect(isAdminTokenQuestion(data), JSON.stringify(data)).toBe(false);
    }
  });
});
