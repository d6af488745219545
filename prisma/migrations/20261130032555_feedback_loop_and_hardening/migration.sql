-- CreateEnum
CREATE TYPE "StopReason" AS ENUM ('finished', 'submitted', 'turn_limit', 'budget_exhausted', 'stuck', 'error', 'cancelled');

-- CreateEnum
CREATE TYPE "PriceSource" AS ENUM ('seed', 'env', 'user');

-- CreateEnum
CREATE TYPE "ProfileSource" AS ENUM ('detected', 'user');

-- CreateEnum
CREATE TYPE "TestOutcome" AS ENUM ('passed', 'failed', 'not_run');

-- CreateEnum
CREATE TYPE "FailToPass" AS ENUM ('proven', 'not_proven', 'not_run');

-- CreateEnum
CREATE TYPE "FollowUpStatus" AS ENUM ('queued', 'running', 'succeeded', 'failed', 'budget_exhausted');

-- DropIndex
DROP INDEX "Notification_runId_idx";

-- AlterTable
ALTER TABLE "Repository" ADD COLUMN     "buildCommand" TEXT,
ADD COLUMN     "coderAttempts" INTEGER NOT NULL DEFAULT 1,
ADD COLUMN     "detectedAt" TIMESTAMP(3),
ADD COLUMN     "detectedSha" TEXT,
ADD COLUMN     "detectionReport" TEXT,
ADD COLUMN     "followUpBudgetUsd" DECIMAL(20,10) NOT NULL DEFAULT 2,
ADD COLUMN     "lintCommand" TEXT,
ADD COLUMN     "profileSource" "ProfileSource" NOT NULL DEFAULT 'detected',
ADD COLUMN     "typecheckCommand" TEXT;

-- AlterTable
ALTER TABLE "Run" ADD COLUMN     "coderAttempts" INTEGER,
ADD COLUMN     "followUpSpentUsd" DECIMAL(20,10) NOT NULL DEFAULT 0,
ADD COLUMN     "setupCommand" TEXT,
ADD COLUMN     "testCommand" TEXT;

-- AlterTable
ALTER TABLE "Task" ADD COLUMN     "baseBranch" TEXT;

-- AlterTable
ALTER TABLE "AgentSession" ADD COLUMN     "attempt" INTEGER,
ADD COLUMN     "followUpId" TEXT,
-- Hand-edited from Prisma's DROP/ADD: existing values are kept.
ALTER COLUMN "stopReason" TYPE "StopReason" USING "stopReason"::"StopReason";

-- AlterTable
ALTER TABLE "LlmCall" ADD COLUMN     "attempt" INTEGER NOT NULL DEFAULT 1,
ADD COLUMN     "followUpId" TEXT,
ADD COLUMN     "isChargedAtReservation" BOOLEAN NOT NULL DEFAULT false;

-- AlterTable
-- Hand-edited from Prisma's DROP/ADD: existing values are kept.
ALTER TABLE "ModelPrice" ALTER COLUMN "source" DROP DEFAULT,
ALTER COLUMN "source" TYPE "PriceSource" USING "source"::"PriceSource",
ALTER COLUMN "source" SET DEFAULT 'seed';

-- AlterTable
ALTER TABLE "WebhookDelivery" ADD COLUMN     "subjectKey" TEXT;

-- CreateTable
CREATE TABLE "TestBaseline" (
    "id" TEXT NOT NULL,
    "repositoryId" TEXT NOT NULL,
    "baseSha" TEXT NOT NULL,
    "commandKey" TEXT NOT NULL,
    "outcome" "TestOutcome" NOT NULL,
    "passed" INTEGER,
    "failed" INTEGER,
    "failingTests" JSONB NOT NULL DEFAULT '[]',
    "outputTail" TEXT NOT NULL DEFAULT '',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "TestBaseline_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TaskIteration" (
    "id" TEXT NOT NULL,
    "runId" TEXT NOT NULL,
    "taskId" TEXT NOT NULL,
    "iteration" INTEGER NOT NULL,
    "headSha" TEXT,
    "testOutcome" "TestOutcome" NOT NULL DEFAULT 'not_run',
    "testsPassed" INTEGER,
    "testsFailed" INTEGER,
    "failingTests" JSONB NOT NULL DEFAULT '[]',
    "preexistingFailures" INTEGER NOT NULL DEFAULT 0,
    "failToPass" "FailToPass" NOT NULL DEFAULT 'not_run',
    "reviewVerdict" "ReviewVerdict",
    "reviewFindings" INTEGER,
    "ciConclusion" TEXT,
    "costByRole" JSONB NOT NULL DEFAULT '{}',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "TaskIteration_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "FollowUp" (
    "id" TEXT NOT NULL,
    "runId" TEXT NOT NULL,
    "taskId" TEXT NOT NULL,
    "pullRequestId" TEXT NOT NULL,
    "sourceKey" TEXT NOT NULL,
    "author" TEXT NOT NULL,
    "status" "FollowUpStatus" NOT NULL DEFAULT 'queued',
    "budgetUsd" DECIMAL(20,10) NOT NULL,
    "spentUsd" DECIMAL(20,10) NOT NULL DEFAULT 0,
    "reservedUsd" DECIMAL(20,10) NOT NULL DEFAULT 0,
    "testOutcome" "TestOutcome",
    "reviewVerdict" "ReviewVerdict",
    "replyUrl" TEXT,
    "error" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "startedAt" TIMESTAMP(3),
    "finishedAt" TIMESTAMP(3),
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "FollowUp_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "BranchLease" (
    "key" TEXT NOT NULL,
    "holder" TEXT NOT NULL,
    "acquiredAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "BranchLease_pkey" PRIMARY KEY ("key")
);

-- CreateTable
CREATE TABLE "AuthSession" (
    "id" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "revokedAt" TIMESTAMP(3),

    CONSTRAINT "AuthSession_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "LoginThrottle" (
    "key" TEXT NOT NULL,
    "failures" INTEGER NOT NULL DEFAULT 0,
    "windowStartedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "LoginThrottle_pkey" PRIMARY KEY ("key")
);

-- CreateIndex
CREATE UNIQUE INDEX "TestBaseline_repositoryId_baseSha_commandKey_key" ON "TestBaseline"("repositoryId", "baseSha", "commandKey");

-- CreateIndex
CREATE INDEX "TaskIteration_runId_idx" ON "TaskIteration"("runId");

-- CreateIndex
CREATE UNIQUE INDEX "TaskIteration_taskId_iteration_key" ON "TaskIteration"("taskId", "iteration");

-- CreateIndex
CREATE UNIQUE INDEX "FollowUp_sourceKey_key" ON "FollowUp"("sourceKey");

-- CreateIndex
CREATE INDEX "FollowUp_pullRequestId_createdAt_idx" ON "FollowUp"("pullRequestId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "Notification_runId_channel_key" ON "Notification"("runId", "channel");

-- CreateIndex
CREATE UNIQUE INDEX "WebhookDelivery_subjectKey_key" ON "WebhookDelivery"("subjectKey");

-- AddForeignKey
ALTER TABLE "AgentSession" ADD CONSTRAINT "AgentSession_followUpId_fkey" FOREIGN KEY ("followUpId") REFERENCES "FollowUp"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LlmCall" ADD CONSTRAINT "LlmCall_followUpId_fkey" FOREIGN KEY ("followUpId") REFERENCES "FollowUp"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TestBaseline" ADD CONSTRAINT "TestBaseline_repositoryId_fkey" FOREIGN KEY ("repositoryId") REFERENCES "Repository"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TaskIteration" ADD CONSTRAINT "TaskIteration_runId_fkey" FOREIGN KEY ("runId") REFERENCES "Run"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TaskIteration" ADD CONSTRAINT "TaskIteration_taskId_fkey" FOREIGN KEY ("taskId") REFERENCES "Task"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "FollowUp" ADD CONSTRAINT "FollowUp_runId_fkey" FOREIGN KEY ("runId") REFERENCES "Run"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "FollowUp" ADD CONSTRAINT "FollowUp_taskId_fkey" FOREIGN KEY ("taskId") REFERENCES "Task"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "FollowUp" ADD CONSTRAINT "FollowUp_pullRequestId_fkey" FOREIGN KEY ("pullRequestId") REFERENCES "PullRequest"("id") ON DELETE CASCADE ON UPDATE CASCADE;

