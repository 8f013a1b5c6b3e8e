// A picture that is on neither the device nor the network (offline, never saved) is answered with a small grey
// SVG instead of an error: the page keeps its layout, the image is inert, and the console has no failed loads.
// Never cached, so the real picture is fetched the next time the connection is there.

const PLACEHOLDER_SVG =
  '<svg xmlns="http://www.w3.org/2000/svg" width="16" height="9" viewBox="0 0 16 9" preserveAspectRatio="none">' +
  '<rect width="16" height="9" fill="#8a8a8a" fill-opacity="0.25"/></svg>';

export function picturePlaceholder(): Response {
  return new Response(PLACEHOLDER_SVG, {
    headers: { 'content-type': 'image/svg+xml', 'cache-control': 'no-store', 'x-offline-placeholder': '1' },
  });
}
