// What the browser suites share: Debian's Chromium, started as this machine needs it
// (headless, no sandbox as root, no background traffic), and the gzipping static server.

import { chromium } from 'playwright-core';
export { serve } from './serve.mjs';

export function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

export const PHONE = { viewport: { width: 360, height: 740 } };
