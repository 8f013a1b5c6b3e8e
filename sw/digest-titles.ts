// An item's title as the device's copy of the latest list has it: offline, the page that answers for an article not
// on the device knows only its address, and a reader who came from a notification, a bookmark or another app
// followed no link whose title the page could remember.
import { recall } from './reader-db.ts';

export async function titleOnDevice(itemId: string): Promise<string | null> {
  const list = await recall('digestList');
  return list?.items.find((item) => item.id === itemId)?.title ?? null;
}
