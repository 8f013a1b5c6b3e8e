// Images in served HTML point at our own /img proxy, so the service worker can cache real (non-opaque) responses
// and readers' browsers never contact the publisher's image hosts.
export const IMAGE_PROXY_PATH = '/img';

/** Every character outside RFC 3986's unreserved set is percent-encoded, so the URL survives any HTML attribute. */
const strictEncode = (value: string) =>
  encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

export function proxiedImageUrl(absoluteUrl: string): string {
  return `${IMAGE_PROXY_PATH}?u=${strictEncode(absoluteUrl)}`;
}
