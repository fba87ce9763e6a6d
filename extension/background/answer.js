// Reading an answer of the companion server in the service worker: its body as text, refused once it passes a size, so no answer can make the worker hold more than it expects.

/**
 * The body of `response` as text, or `tooLarge(size, max)` thrown once it passes `max` bytes
 * (by its Content-Length, or as it arrives).
 */
export async function textCapped(response, max, tooLarge) {
  const declared = Number(response.headers.get('Content-Length'));
  if (Number.isFinite(declared) && declared > max) throw tooLarge(declared, max);
  const reader = response.body.getReader();
  const chunks = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      reader.cancel().catch(() => {});
      throw tooLarge(size, max);
    }
    chunks.push(value);
  }
  return new TextDecoder().decode(await new Blob(chunks).arrayBuffer());
}
