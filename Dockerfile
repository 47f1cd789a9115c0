# syntax=docker/dockerfile:1
# The igepay signing server as its packages install from npm: built from this repository, packed
# (as `pnpm publish` would), installed with npm into /app, run as a user without privileges.
# docs/deploy.md; test/src/deploy.test.ts checks this file and runs its install and command.
ARG NODE_VERSION=26

# 1. Build and pack @igepay/shared, @igepay/widget and @igepay/server.
FROM node:${NODE_VERSION}-slim AS build
RUN npm install --global --no-audit --no-fund pnpm@10.34.9
WORKDIR /src
COPY . .
RUN pnpm install --frozen-lockfile \
 && for package in shared widget server; do pnpm --dir "$package" pack --pack-destination /tarballs; done

# 2. Install the tarballs as a merchant's project would, without development dependencies
#    (nothing compiles: SQLite is Node's own node:sqlite), with the optional peers the image
#    may need: pg (DATABASE_URL=postgres://..., as compose.yaml runs it) and prom-client (metrics).
FROM node:${NODE_VERSION}-slim AS install
WORKDIR /app
COPY --from=build /tarballs /tarballs
RUN echo '{ "name": "igepay-server", "private": true, "type": "module" }' > package.json \
 && npm install --omit=dev --no-audit --no-fund /tarballs/*.tgz pg@8.23.1 prom-client@15.1.3

# 3. The image: Node and the installed server.
FROM node:${NODE_VERSION}-slim
# An 8 MiB young generation: about half the memory under load of the default, and up to a tenth less CPU than 4 MiB
# (BENCHMARKS.md); raise it with NODE_OPTIONS on a large machine.
ENV NODE_ENV=production \
    NODE_OPTIONS=--max-semi-space-size=8 \
    HOST=0.0.0.0 \
    PORT=8787 \
    DATABASE_URL=sqlite:/data/igepay.db \
    PATH=/app/node_modules/.bin:$PATH
COPY --from=install /app /app
# The image's `node` user (uid 1000) runs the server and owns only its data.
RUN mkdir /data && chown node:node /data
USER node
WORKDIR /data
VOLUME /data
EXPOSE 8787
# /healthz answers 200 while the server can write to its database.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.PORT}/healthz`).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
STOPSIGNAL SIGTERM
CMD ["igepay", "serve"]
