# The worker image holds the product only (dist/src and the prebundled workflow code); the
# simulators image, for a demo stack, adds the simulators. Both build from the same stage. The
# temporal-server image is Temporal's server built by the project (ops/temporal/server).

# The project's Temporal server: go.temporal.io/server at the version of the image below, with
# every call authorized (its claim mapper: ops/temporal/server/claims.go), built without cgo and
# put in place of temporal-server in Temporal's own image, whose entrypoint, paths and user stay.
FROM golang:1.25-bookworm AS temporal-server-build
WORKDIR /src
COPY ops/temporal/server/go.mod ops/temporal/server/go.sum ./
RUN go mod download
COPY ops/temporal/server/*.go ./
RUN CGO_ENABLED=0 go build -trimpath -o /out/temporal-server .

FROM temporalio/server:1.29.1 AS temporal-server
COPY --from=temporal-server-build /out/temporal-server /usr/local/bin/temporal-server

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
COPY --from=build /app/dist/workflow-bundle-traced.js ./dist/workflow-bundle-traced.js
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
