# Floorboard edge gateway (and the simulator, for demos). Build from the repository root:
#   docker build -f deploy/gateway.Dockerfile -t floorboard-gateway .
FROM node:20-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json tsconfig.base.json ./
COPY shared/package.json shared/
COPY server/package.json server/
COPY edge-gateway/package.json edge-gateway/
COPY dashboard/package.json dashboard/
COPY test/package.json test/
RUN npm ci --omit=dev --no-audit --no-fund

FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json tsconfig.base.json ./
COPY shared/package.json shared/
COPY server/package.json server/
COPY edge-gateway/package.json edge-gateway/
COPY dashboard/package.json dashboard/
COPY test/package.json test/
RUN npm ci --no-audit --no-fund
COPY shared shared
COPY edge-gateway edge-gateway
RUN npx tsc -b shared edge-gateway

FROM node:20-bookworm-slim
ENV NODE_ENV=production GATEWAY_DATA_DIR=/data GATEWAY_PORT=3100
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=deps /app/node_modules node_modules
COPY --from=build /app/shared/package.json shared/package.json
COPY --from=build /app/shared/dist shared/dist
COPY --from=build /app/edge-gateway/package.json edge-gateway/package.json
COPY --from=build /app/edge-gateway/dist edge-gateway/dist
RUN mkdir -p /data && chown node:node /data
USER node
EXPOSE 3100
HEALTHCHECK --interval=10s --timeout=3s --start-period=10s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.GATEWAY_PORT||3100)+'/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "edge-gateway/dist/main.js"]
