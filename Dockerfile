# Image for the `api` and `worker` services: compiled TypeScript plus the prebuilt workflow bundle, so a
# worker starts without webpack. The Temporal CLI is not needed in production (the cluster is external).
FROM node:20.20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: the postinstall builds the dev-server CLI, which production does not use.
RUN npm ci --ignore-scripts
COPY tsconfig.json tsconfig.build.json ./
COPY scripts ./scripts
COPY src ./src
RUN npm run build && npm prune --omit=dev --ignore-scripts

FROM node:20.20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
# The default access policy (ACCESS_POLICY_FILE); mount your own over it.
COPY config ./config
USER node
CMD ["node", "dist/worker.js"]
