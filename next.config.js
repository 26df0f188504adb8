// The Next app is served by server/main.ts (Fastify + socket.io on one port); it is a client of /api like any other.
/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // server/ and demo/ are Node-only; they are never bundled into the app.
  typescript: { tsconfigPath: 'tsconfig.json' },
};

export default nextConfig;
