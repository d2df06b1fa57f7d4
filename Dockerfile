# The worker image holds the product only (dist/src and the prebundled workflow code); the
# simulators image, for a demo stack, adds the simulators. Both build from the same stage.
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY simulators ./simulators
COPY scripts ./scripts
RUN npm run build && npm run bundle:workflows && npm prune --omit=dev

FROM node:24-bookworm-slim AS worker
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist/src ./dist/src
COPY --from=build /app/dist/workflow-bundle.js ./dist/workflow-bundle.js
COPY package.json ./
USER node
CMD ["node", "dist/src/worker.js"]

FROM node:24-bookworm-slim AS simulators
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist/src ./dist/src
COPY --from=build /app/dist/simulators ./dist/simulators
COPY --from=build /app/dist/scripts/simulators.js ./dist/scripts/simulators.js
COPY package.json ./
USER node
CMD ["node", "dist/scripts/simulators.js"]
