import { useEffect, useState } from 'preact/hooks';
import type { AuditEntry } from '#shared/domain/model.ts';
import { api } from '../api.ts';
import { ColumnHeads, Loading, localTime, ProblemBox, TableScroll } from '../ui.tsx';

interface Page {
  items: AuditEntry[];
  next?: string;
}

/** The audit log (admins), newest first, a page at a time. */
export function AuditPage() {
  const [pages, setPages] = useState<Page[]>([]);
  const [error, setError] = useState<unknown>();
  const [loading, setLoading] = useState(false);
  const load = async (after?: string) => {
    setLoading(true);
    try {
      const page = await api<Page>(
        'GET',
        `/audit?limit=50${after ? `&next=${encodeURIComponent(after)}` : ''}`,
      );
      setPages((previous) => (after ? [...previous, page] : [page]));
    } catch (problem) {
      setError(problem);
    } finally {
      setLoading(false);
    }
  };
  useEffect(() => {
    void load();
  }, []);
  const entries = pages.flatMap((page) => page.items);
  const next = pages.at(-1)?.next;
  return (
    <>
      <h1>Audit log</h1>
      <ProblemBox error={error} />
      {loading && entries.length === 0 && <Loading what="the audit log" />}
      {entries.length > 0 && (
        <TableScroll label="Audit log">
          <table>
            <caption class="visually-hidden">Audit entries, newest first</caption>
            <ColumnHeads names={['When', 'Who', 'Action', 'Resource', 'Details']} />
            <tbody>
              {entries.map((entry) => (
                <tr key={entry.id}>
                  <td>{localTime(entry.at)}</td>
                  <td>{entry.actor}</td>
                  <td>
                    <code>{entry.action}</code>
                  </td>
                  <td>
                    {entry.resource.type} {entry.resource.id}
                    {entry.resource.version ? ` v${entry.resource.version}` : ''}
                  </td>
                  <td class="details">{entry.details ? JSON.stringify(entry.details) : ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
      {!loading && pages.length > 0 && entries.length === 0 && <p>The log is empty.</p>}
      {next && (
        <button type="button" class="secondary" disabled={loading} onClick={() => load(next)}>
          Older entries
        </button>
      )}
    </>
  );
}
