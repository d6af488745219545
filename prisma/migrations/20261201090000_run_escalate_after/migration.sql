-- AlterTable
ALTER TABLE "Run" ADD COLUMN     "escalateAfter" INTEGER NOT NULL DEFAULT 2;
