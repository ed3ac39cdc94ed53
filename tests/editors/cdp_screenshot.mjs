// node cdp_screenshot.mjs DEVTOOLS_PORT OUT.png [WIDTH HEIGHT]
// Takes a PNG of the first page of a Chromium started with --remote-debugging-port, through the
// DevTools protocol (Node 22+ has WebSocket built in: no browser driver package needed).
import { writeFileSync } from 'node:fs';

const [port, out, width = '1400', height = '860'] = process.argv.slice(2);
const targets = await (await fetch(`http://127.0.0.1:${port}/json/list`)).json();
const page = targets.find((t) => t.type === 'page');
if (!page) {
  throw new Error(`no page among ${JSON.stringify(targets)}`);
}
const ws = new WebSocket(page.webSocketDebuggerUrl);
let id = 0;
const pending = new Map();
ws.onmessage = (event) => {
  const msg = JSON.parse(event.data);
  if (pending.has(msg.id)) {
    const { resolve, reject } = pending.get(msg.id);
    pending.delete(msg.id);
    if (msg.error) reject(new Error(JSON.stringify(msg.error)));
    else resolve(msg.result);
  }
};
await new Promise((resolve, reject) => {
  ws.onopen = resolve;
  ws.onerror = reject;
});
const send = (method, params = {}) =>
  new Promise((resolve, reject) => {
    pending.set(++id, { resolve, reject });
    ws.send(JSON.stringify({ id, method, params }));
  });
await send('Emulation.setDeviceMetricsOverride', {
  width: Number(width), height: Number(height), deviceScaleFactor: 1, mobile: false,
});
await new Promise((resolve) => setTimeout(resolve, 1500)); // let the workbench re-lay out
const { data } = await send('Page.captureScreenshot', { format: 'png' });
writeFileSync(out, Buffer.from(data, 'base64'));
ws.close();
