/// <reference types="vite/client" />
/// <reference types="vite-plugin-pwa/client" />

/** The commit the app was built from ('unknown' outside a git checkout); set in vite.config.ts. */
declare const __GIT_COMMIT__: string;
