// SPDX-License-Identifier: MIT
// Debian's chromium is used; puppeteer must not download a browser (no internet here).
module.exports = { skipDownload: true, executablePath: '/usr/bin/chromium' };
