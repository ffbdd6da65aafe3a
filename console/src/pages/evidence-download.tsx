import { useState } from 'preact/hooks';
import { textPages } from '#shared/api/pages.ts';
import { apiText, seg } from '../api.ts';
import { Panel, ProblemBox } from '../ui.tsx';

/** Saves `parts` as a file through the browser's own download (a link to an object URL, clicked). */
function saveFile(parts: Blob[], name: string, type: string): void {
  const url = URL.createObjectURL(new Blob(parts, { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.click();
  // The download has taken the data once the click's task has run.
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

/**
 * The incident's evidence as one CSV file: every page of `GET /incidents/{id}/evidence`, fetched
 * one after the other and kept as Blobs (which the browser may hold on disk), then saved.
 */
export function EvidenceDownload({ incidentId }: { incidentId: string }) {
  const [busy, setBusy] = useState(false);
  const [pages, setPages] = useState(0);
  const [error, setError] = useState<unknown>();
  const download = async () => {
    setBusy(true);
    setError(undefined);
    setPages(0);
    try {
      const parts: Blob[] = [];
      for await (const page of textPages(`/incidents/${seg(incidentId)}/evidence?format=csv`, apiText)) {
        parts.push(new Blob([page]));
        setPages(parts.length);
      }
      saveFile(parts, `evidence-${incidentId}.csv`, 'text/csv');
    } catch (problem) {
      setError(problem);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Panel title="Evidence" id="evidence-heading">
      <p>
        What every broadcast of this incident sent to each passenger and channel, and when: booking, flight,
        template version, the exact text and its SHA-256, provider message id and times. Proof of when
        passengers were informed (EU Regulation 261/2004, Art. 5(4)).
      </p>
      <ProblemBox error={error} />
      <button type="button" class="secondary" disabled={busy} onClick={download}>
        Download evidence (CSV)
      </button>
      <p class="muted" role="status">
        {busy ? `Downloading… ${pages} ${pages === 1 ? 'page' : 'pages'} so far` : ''}
      </p>
    </Panel>
  );
}
