# The factory app: `npm start` (migrations, price seeding, then `next start` on 0.0.0.0:3000).
# The command sandbox needs bubblewrap and user namespaces: see compose.yaml for the container
# options it needs.
FROM node:20-bookworm-slim
RUN apt-get update \
  && apt-get install -y --no-install-recommends git bubblewrap ripgrep ca-certificates \
  && rm -rf /var/lib/apt/lists/*
WORKDIR /app
ENV NEXT_TELEMETRY_DISABLED=1
COPY package.json package-lock.json ./
COPY scripts ./scripts
COPY prisma ./prisma
COPY prisma.config.ts tsconfig.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build
ENV NODE_ENV=production PORT=3000 FACTORY_DATA_DIR=/data
VOLUME /data
EXPOSE 3000
CMD ["npm", "start"]
