// Answers a human's review or comment on a factory PR, at any time during or after its run:
// check the author has write access (GitHub's collaborator permission), record a follow-up with
// its own budget, wait for the task branch's lease (one writer per branch: run-task and other
// follow-ups queue), then fixer -> push -> the repository's tests -> reviewer re-review -> one
// reply with what changed, the test result and the cost, and release the branch.
import { z } from "zod";
import type { SessionOutcome } from "@/lib/agents/agent-session";
import { submitReviewInput } from "@/lib/agents/roles";
import { readWriteAccess } from "@/lib/github/repository";
import { answerHumanFeedback, feedbackSourceKey, loadHumanFeedback, type FeedbackSource } from "@/lib/tasks/human-feedback";
import { cleanupFollowUpWorkspaces, failFollowUp, isFollowUpQueuedBehind, readFollowUpLease, recordFollowUp, startFollowUp, noteFollowUpOnStatusComment, publishFollowUpReview, startFollowUpFixer, startFollowUpReviewer, testFollowUpChange } from "@/lib/tasks/follow-up";
import { holdBranchLease, keepBranchLease, releaseBranchLease, runSessionSteps } from "@/workflows/task-steps";
import { inngest } from "@/lib/inngest";
import { githubIssueCommentCreated, githubReviewSubmitted } from "@/lib/events";
/** Review states worth an answer; approvals and dismissals ask for nothing. */
const answeredStates = new Set(["changes_requested", "commented"]);

/** The triggering event's source, as the onFailure handler reads it back. */
const feedbackEventData = z.object({ reviewId: z.number().int().optional(), commentId: z.number().int().optional() });

function sourceOf(data: { reviewId?: number; commentId?: number }): FeedbackSource {
  return data.reviewId !== undefined ? { kind: "review", reviewId: data.reviewId } : { kind: "comment", commentId: data.commentId! };
}

export const addressReview = inngest.createFunction(
  {
    id: "address-review",
    retries: 3,
    triggers: [githubReviewSubmitted, githubIssueCommentCreated],
    // Nothing stays "running": the follow-up ends failed with the reason, and the branch is freed.
    onFailure: async ({ event, error, step }) => {
      const parsed = feedbackEventData.safeParse(event.data.event.data);
      if (!parsed.success || (parsed.data.reviewId === undefined && parsed.data.commentId === undefined)) return;
      const sourceKey = feedbackSourceKey(sourceOf(parsed.data));
      const lease = await step.run("mark-follow-up-failed", () => failFollowUp({ sourceKey, reason: `Answering the feedback failed: ${error.message}` }));
      if (lease) await releaseBranchLease(step, { ...lease, stepPrefix: "lease" });
    },
  },
  async ({ event, step }) => {
    const data = event.data;
    const [owner, repo] = data.repository.split("/");
    const source = sourceOf(data);
    if (!data.isTrusted) return { skipped: `author ${data.author} (${data.authorAssociation}) has no write access` };
    if ("state" in data && !answeredStates.has(data.state.toLowerCase())) return { skipped: `review state ${data.state}` };

    // The association says nothing certain about write access; GitHub's permission does.
    const access = await step.run("check-write-access", () => readWriteAccess({ owner, repo, username: data.author }));
    if (!access.hasWriteAccess) return { skipped: `author ${data.author} has ${access.roleName ?? access.permission} access to ${data.repository}, not write` };

    const recorded = await step.run("record-follow-up", () =>
      // GitHub saying "no such review or comment" (a not_found AppError) fails at once: the
      // client's retry policy never retries it.
      (async () => {
        const feedback = await loadHumanFeedback({ repository: data.repository, pullRequestNumber: data.pullRequestNumber, source });
        if ("skipped" in feedback) return feedback;
        if (feedback.author.toLowerCase() !== data.author.toLowerCase()) return { skipped: `GitHub says ${feedback.key} is by ${feedback.author}, not ${data.author}` };
        const followUp = await recordFollowUp(feedback);
        return { followUpId: followUp.id, status: followUp.status, feedbackText: feedback.text };
      })(),
    );
    if ("skipped" in recorded) return recorded;
    if (recorded.status !== "queued") return { skipped: `feedback ${feedbackSourceKey(source)} is already ${recorded.status}` };
    const { followUpId, feedbackText } = recorded;

    const lease = await step.run("read-lease", () => readFollowUpLease(followUpId));
    await holdBranchLease(step, { ...lease, stepPrefix: "lease", isQueuedBehind: () => isFollowUpQueuedBehind(followUpId) });
    await step.run("start-follow-up", () => startFollowUp(followUpId));

    const fixerId = await step.run("start-fixer", () => startFollowUpFixer({ followUpId, feedbackText }));
    const fixer = await runSessionSteps(step, { sessionId: fixerId, stepPrefix: "fix", lease });
    let testResult: "passed" | "failed" | "not_run" | null = null;
    let reviewer: SessionOutcome | null = null;
    let review: { verdict: "approve" | "request_changes"; url: string } | null = null;
    if (fixer.stopReason === "finished") {
      const checks = await step.run("test-after-fix", async () => {
        await keepBranchLease(lease);
        return testFollowUpChange({ followUpId });
      });
      testResult = checks.testResult;
      const reviewerId = await step.run("start-reviewer", async () => {
        await keepBranchLease(lease);
        return startFollowUpReviewer({ followUpId, feedbackText, testResult: checks.testResult, testOutputTail: checks.outputTail });
      });
      reviewer = await runSessionSteps(step, { sessionId: reviewerId, stepPrefix: "re-review", lease });
      if (reviewer.stopReason === "submitted") {
        const submitted = submitReviewInput.parse(reviewer.result);
        review = await step.run("publish-re-review", () => publishFollowUpReview({ followUpId, review: submitted, sessionId: reviewerId }));
        const verdict = review.verdict;
        await step.run("status-comment", () => noteFollowUpOnStatusComment({ followUpId, testResult: checks.testResult, verdict }));
      }
    }
    const answer = await step.run("reply", () => answerHumanFeedback({ followUpId, fixer, testResult, reviewer, review }));
    // Clones are caches; the branch holds the work. Cleaned while this follow-up still holds the branch.
    await step.run("clean-workspaces", () => cleanupFollowUpWorkspaces(followUpId));
    await releaseBranchLease(step, { ...lease, stepPrefix: "lease" });
    return { followUpId, ...answer };
  },
);
