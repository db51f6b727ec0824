/** How every browser test and benchmark starts Chromium: Debian's build (or CHROMIUM_PATH), no downloads. */
export const CHROMIUM_LAUNCH = {
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  // This machine has no network beyond the package registries: without the background-networking flags
  // Chromium keeps dialling Google's hosts; --no-sandbox because tests run as root here.
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
  ],
};
