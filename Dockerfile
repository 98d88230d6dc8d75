# The production image: one image for every process; the command picks the role.
#   api:    node packages/federation/dist/launcher.js   (the gateway and the three subgraphs, as `pnpm start`)
#   worker: node services/import/dist/index.js with IMPORT_ROLE=worker
FROM node:20-slim AS build
WORKDIR /app
# better-sqlite3 (the embedded database) compiles when no prebuilt binary is reachable.
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*
RUN npm install --global pnpm@10.34.9
COPY . .
RUN pnpm install --frozen-lockfile \
  && pnpm build \
  && pnpm install --frozen-lockfile --prod

FROM node:20-slim
ENV NODE_ENV=production \
  HOST=0.0.0.0 \
  DATA_DIR=/data
WORKDIR /app
COPY --from=build /app/package.json /app/pnpm-workspace.yaml ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/packages ./packages
COPY --from=build /app/services ./services
COPY --from=build /app/gateway ./gateway
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME /data
EXPOSE 4000
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||4000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "--enable-source-maps", "packages/federation/dist/launcher.js"]
