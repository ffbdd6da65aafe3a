/** How the console marks an exercise wherever it shows one: in words (a badge, a notice), never by colour alone. */
import { EXERCISE_LABEL } from '#shared/domain/exercise.ts';
import type { Incident } from '#shared/domain/model.ts';
import { api, seg } from './api.ts';
import { useLoad } from './ui.tsx';

/** The word beside an exercise's title, in lists and headings. */
export function ExerciseBadge() {
  return <span class="badge badge-exercise">{EXERCISE_LABEL}</span>;
}

/** What an exercise does differently, above its incident or one of its broadcasts. */
export function ExerciseNotice() {
  return (
    <p class="exercise-notice" role="note">
      <strong>{EXERCISE_LABEL}</strong>: a rehearsal. Only the staff test numbers are texted, nothing is
      posted to X or Facebook, and status entries go to the unlisted exercise feed.
    </p>
  );
}

/** The notice on a broadcast's page when its incident is an exercise. */
export function BroadcastExerciseNotice({ incidentId }: { incidentId: string }) {
  const incident = useLoad(() => api<Incident>('GET', `/incidents/${seg(incidentId)}`), [incidentId]);
  return incident.data?.exercise ? <ExerciseNotice /> : null;
}
