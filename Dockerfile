# ff-relay container image: build with the dev toolchain, run with production dependencies only.
FROM node:22-bookworm-slim AS build
# The optional Cloud Profiler agent (GCP_PROFILER_ENABLED) compiles a native addon at install;
# the runtime stage is the same base image, so the addon built here runs there.
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY nest-cli.json tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build && npm prune --omit=dev

FROM node:22-bookworm-slim
# Production: a missing PROXY_KEY stops the boot unless OFFLINE=true (no silent demo config).
ENV NODE_ENV=production PORT=7000
WORKDIR /app
COPY --from=build --chown=root:root /app/package.json ./package.json
COPY --from=build --chown=root:root /app/node_modules ./node_modules
COPY --from=build --chown=root:root /app/dist ./dist
# Files owned by root, process as the unprivileged `node` user: the root filesystem can be
# read-only (nothing is written at run time; offline config is mounted at CONFIG_DIR).
USER node
EXPOSE 7000
HEALTHCHECK --interval=10s --timeout=2s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+process.env.PORT+'/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
STOPSIGNAL SIGTERM
CMD ["node", "dist/main.js"]
