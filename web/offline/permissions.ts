// The permissions the page reads or asks for, and when: notifications only from a reader's gesture, persistent
// storage with a save or the reader's own click, Periodic Background Sync only read (browsers grant it to installed
// apps, or automation does).
import { capabilities } from './capabilities.ts';

export function notificationPermission(): NotificationPermission | 'unsupported' {
  return capabilities().notifications ? Notification.permission : 'unsupported';
}

/**
 * Asks to show notifications. Call it ONLY from a reader's gesture (the save button, a settings switch): browsers
 * ignore or penalise prompts that come from nowhere. Answers at once when the reader already decided.
 */
export async function requestNotificationPermission(): Promise<NotificationPermission> {
  if (!capabilities().notifications) return 'denied';
  if (Notification.permission !== 'default') return Notification.permission;
  return Notification.requestPermission();
}

/** Asks the browser to keep the site's storage when space runs low (navigator.storage.persist()), unless it does. */
export async function keepStorage(): Promise<void> {
  if (!capabilities().persistentStorage || (await navigator.storage.persisted())) return;
  await navigator.storage.persist();
}

export async function periodicSyncAllowed(): Promise<boolean> {
  try {
    const status = await navigator.permissions.query({ name: 'periodic-background-sync' as PermissionName });
    return status.state === 'granted';
  } catch {
    // Browsers that do not know the permission's name: let register() decide.
    return true;
  }
}

/**
 * Background Sync's permission: 'denied' when the reader (or a policy) blocked it for the site, and then a sync
 * registration fails and saved articles wait for the reader to be open. 'unknown' where the browser has no such name.
 */
export async function backgroundSyncPermission(): Promise<PermissionState | 'unknown'> {
  try {
    return (await navigator.permissions.query({ name: 'background-sync' as PermissionName })).state;
  } catch {
    return 'unknown';
  }
}

/** Whether a save is fetched with the app closed: Background Sync where the browser has it and the reader allows it. */
export async function fetchesWithAppClosed(): Promise<boolean> {
  return capabilities().backgroundSync && (await backgroundSyncPermission()) === 'granted';
}
