// node cdp_probe.mjs DEVTOOLS_PORT type KEY...   -> {"suggestions": [...]} (JSON on stdout)
// node cdp_probe.mjs DEVTOOLS_PORT notifications -> {"notifications": [...]}
// Acts on the VS Code workbench in a Chromium started with --remote-debugging-port, through the
// DevTools protocol: `type` presses keys as a user does (a one-character KEY is typed, a longer
// one is a key name such as Escape), then reports the suggest widget's rows once it shows (none
// after 10 s); `notifications` lists the notification toasts' texts.
import { connect } from './cdp.mjs';

const [port, command, ...keys] = process.argv.slice(2);
const { send, close } = await connect(port);
const evaluate = async (expression) =>
  (await send('Runtime.evaluate', { expression, returnByValue: true })).result.value;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

const NAMED = { Escape: { code: 'Escape', keyCode: 27 }, Enter: { code: 'Enter', keyCode: 13 } };
async function press(key) {
  if (key.length === 1) {
    const keyCode = key === ' ' ? 32 : key === '#' ? 51 : key.toUpperCase().charCodeAt(0);
    const base = { key, text: key, unmodifiedText: key, windowsVirtualKeyCode: keyCode };
    await send('Input.dispatchKeyEvent', { type: 'keyDown', ...base });
    await send('Input.dispatchKeyEvent', { type: 'keyUp', ...base });
  } else {
    const { code, keyCode } = NAMED[key];
    const base = { key, code, windowsVirtualKeyCode: keyCode };
    await send('Input.dispatchKeyEvent', { type: 'rawKeyDown', ...base });
    await send('Input.dispatchKeyEvent', { type: 'keyUp', ...base });
  }
  await sleep(150); // a person's typing pace: VS Code's quick-suggest delay is 10 ms
}

const SUGGESTIONS = `[...document.querySelectorAll('.suggest-widget.visible .monaco-list-row')]
  .map((row) => row.querySelector('.label-name')?.textContent ?? row.getAttribute('aria-label'))`;
let result;
if (command === 'type') {
  for (const key of keys) await press(key);
  let suggestions = [];
  for (let waited = 0; waited < 10000 && suggestions.length === 0; waited += 200) {
    suggestions = await evaluate(SUGGESTIONS);
    if (suggestions.length === 0) await sleep(200);
  }
  result = { suggestions };
} else if (command === 'notifications') {
  result = {
    notifications: await evaluate(
      `[...document.querySelectorAll('.notifications-toasts .notification-toast')].map((t) => t.textContent)`,
    ),
  };
} else {
  throw new Error(`unknown command ${command}`);
}
console.log(JSON.stringify(result));
close();
