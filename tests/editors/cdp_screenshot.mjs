// node cdp_screenshot.mjs DEVTOOLS_PORT OUT.png [WIDTH HEIGHT]
// Takes a PNG of the first page of a Chromium started with --remote-debugging-port, through the
// DevTools protocol (cdp.mjs).
import { writeFileSync } from 'node:fs';
import { connect } from './cdp.mjs';

const [port, out, width = '1400', height = '860'] = process.argv.slice(2);
const { send, close } = await connect(port);
await send('Emulation.setDeviceMetricsOverride', {
  width: Number(width), height: Number(height), deviceScaleFactor: 1, mobile: false,
});
await new Promise((resolve) => setTimeout(resolve, 1500)); // let the workbench re-lay out
const { data } = await send('Page.captureScreenshot', { format: 'png' });
writeFileSync(out, Buffer.from(data, 'base64'));
close();
