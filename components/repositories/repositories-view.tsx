"use client";
// The repositories page: every repository the factory has worked on, each a card with its profile
// (commands, CI, budget and how they were found). Edit turns the card into a form (a saved edit
// makes it the user's profile); Detect again reads the default branch anew.

import { useState } from "react";
import { ApiError } from "@/lib/client/api-fetch";
import { formatUsdCents } from "@/lib/client/format";
import { useDetectRepositoryProfile, useRepositories, useUpdateRepositoryProfile } from "@/lib/client/repositories";
import { profileCommandNames, type RepositoryProfile } from "@/lib/repositories/repository-profile-schema";
import { RelativeTime } from "@/components/runs/run-status";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, LoadError, LoadingNotice } from "@/components/ui/card";
import { useToast } from "@/components/ui/toast";
import {
  commandLabels,
  parseProfileForm,
  pickProfileFieldErrors,
  RepositoryProfileForm,
  toFormValues,
  type ProfileFieldErrors,
  type ProfileFormValues,
} from "./repository-profile-form";

/** Every repository the factory has worked on, with its profile. */
export function RepositoriesView() {
  const repositoriesQuery = useRepositories();
  if (repositoriesQuery.isPending) return <LoadingNotice>Loading repositories…</LoadingNotice>;
  if (repositoriesQuery.isError) {
    return (
      <Card>
        <LoadError message={`Could not load repositories: ${repositoriesQuery.error.message}`} onRetry={() => repositoriesQuery.refetch()} />
      </Card>
    );
  }
  const { repositories } = repositoriesQuery.data;
  if (repositories.length === 0) {
    return (
      <Card data-testid="repositories-empty" className="px-4 py-10 text-center text-sm text-slate-500">
        No repositories yet. A repository appears here when a run first uses it, and its profile is detected from its files.
      </Card>
    );
  }
  return (
    <div data-testid="repositories-list" className="space-y-4">
      {repositories.map((profile) => (
        <RepositoryProfileCard key={profile.id} profile={profile} />
      ))}
    </div>
  );
}

function RepositoryProfileCard({ profile }: { profile: RepositoryProfile }) {
  const showToast = useToast();
  const update = useUpdateRepositoryProfile();
  const detect = useDetectRepositoryProfile();
  const [values, setValues] = useState<ProfileFormValues | null>(null);
  const [errors, setErrors] = useState<ProfileFieldErrors>({});
  const isEditing = values !== null;
  const idPrefix = `repo-${profile.owner}-${profile.name}`.replace(/[^A-Za-z0-9_-]/g, "_");
  const titleId = `${idPrefix}-title`;

  const startEditing = () => {
    setErrors({});
    setValues(toFormValues(profile));
  };

  const save = () => {
    if (!values || update.isPending) return;
    const parsed = parseProfileForm(values);
    if ("errors" in parsed) return setErrors(parsed.errors);
    update.mutate(
      { repository: profile, input: parsed.input },
      {
        onSuccess: () => {
          setValues(null);
          showToast({ tone: "success", message: `Saved the profile of ${profile.fullName}. Detection will keep your edits.` });
        },
        onError: (error) => {
          const fieldErrors = error instanceof ApiError ? pickProfileFieldErrors(error.fields) : {};
          if (Object.keys(fieldErrors).length > 0) return setErrors(fieldErrors);
          showToast({ tone: "error", title: `Could not save the profile of ${profile.fullName}`, message: error.message });
        },
      },
    );
  };

  const detectAgain = () =>
    detect.mutate(profile, {
      onSuccess: (detected) =>
        showToast({
          tone: "success",
          message:
            detected.profileSource === "user"
              ? `Detected ${profile.fullName} again; your edited commands were kept (see the report).`
              : `Detected ${profile.fullName} again: ${detected.testCommand ? `tests run with ${detected.testCommand}` : "no test command found"}.`,
        }),
      onError: (error) => showToast({ tone: "error", title: `Could not detect ${profile.fullName}`, message: error.message }),
    });

  return (
    <Card aria-labelledby={titleId} data-testid={`repository-${profile.fullName}`} className="overflow-hidden">
      <div className="flex flex-wrap items-center gap-2 border-b border-slate-200 px-4 py-2.5">
        <h2 id={titleId} className="font-mono text-sm font-semibold text-slate-900">
          {profile.fullName}
        </h2>
        <Badge tone={profile.profileSource === "user" ? "info" : "neutral"} data-testid="profile-source">
          {profile.profileSource === "user" ? "Edited by a user" : "Detected"}
        </Badge>
        <Badge tone={profile.hasCi ? "success" : "neutral"} data-testid="profile-ci">
          {profile.hasCi ? "CI: waits for checks" : "No CI"}
        </Badge>
        {!profile.testCommand && (
          <Badge tone="warning" data-testid="profile-no-tests">
            No test command
          </Badge>
        )}
        <div className="ml-auto flex gap-2">
          <Button
            size="sm"
            variant="ghost"
            data-testid="profile-detect"
            onClick={detectAgain}
            disabled={detect.isPending || isEditing}
            // The accessible name starts with the visible text, as speech input users say it.
            aria-label={`${detect.isPending ? "Detecting…" : "Detect again"}: the profile of ${profile.fullName}`}
          >
            {detect.isPending ? "Detecting…" : "Detect again"}
          </Button>
          {!isEditing && (
            <Button size="sm" variant="secondary" data-testid="profile-edit" onClick={startEditing} aria-label={`Edit the profile of ${profile.fullName}`}>
              Edit
            </Button>
          )}
        </div>
      </div>

      {isEditing ? (
        <RepositoryProfileForm
          idPrefix={idPrefix}
          repositoryName={profile.fullName}
          values={values}
          errors={errors}
          isSaving={update.isPending}
          onChange={(field, value) => {
            setValues((current) => current && { ...current, [field]: value });
            setErrors((current) => ({ ...current, [field]: undefined }));
          }}
          onSave={save}
          onCancel={() => setValues(null)}
        />
      ) : (
        <ProfileSummary profile={profile} />
      )}
    </Card>
  );
}

function ProfileSummary({ profile }: { profile: RepositoryProfile }) {
  return (
    <div className="space-y-3 px-4 py-3">
      <dl className="grid gap-x-6 gap-y-1.5 text-sm sm:grid-cols-[8rem_1fr]">
        {profileCommandNames.map((command) => (
          <div key={command} className="contents">
            <dt className="text-slate-500">{commandLabels[command]}</dt>
            <dd data-testid={`profile-${command}`} className="min-w-0 break-words">
              {profile[command] ? <code className="font-mono text-xs text-slate-900">{profile[command]}</code> : <span className="text-slate-500">none</span>}
            </dd>
          </div>
        ))}
        <dt className="text-slate-500">Follow-up budget</dt>
        <dd data-testid="profile-followUpBudgetUsd">{formatUsdCents(profile.followUpBudgetUsd)} per PR, for answering human reviews</dd>
        <dt className="text-slate-500">Coder attempts</dt>
        <dd data-testid="profile-coderAttempts">{profile.coderAttempts}</dd>
        <dt className="text-slate-500">Detected</dt>
        <dd data-testid="profile-detected">
          {profile.detectedAt ? (
            <>
              <RelativeTime iso={profile.detectedAt} /> at <code className="font-mono text-xs">{profile.detectedSha?.slice(0, 7) ?? "?"}</code>
            </>
          ) : (
            <span className="text-slate-500">not yet: on the first run, or with Detect again</span>
          )}
        </dd>
      </dl>
      {!profile.testCommand && (
        <p className="text-xs text-amber-800">Runs on this repository report that no tests ran. Set a test command to give the agents real feedback.</p>
      )}
      {profile.detectionReport && (
        <details className="group text-sm">
          <summary className="cursor-pointer text-slate-600 hover:text-slate-900">Detection report</summary>
          <pre data-testid="profile-report" className="mt-2 overflow-x-auto rounded-md bg-slate-50 p-3 font-mono text-xs whitespace-pre-wrap text-slate-700">
            {profile.detectionReport}
          </pre>
        </details>
      )}
    </div>
  );
}
