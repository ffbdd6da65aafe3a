import type { IncidentSummary } from '#shared/domain/model.ts';
import { apiList } from '../api.ts';
import type { Abilities } from '../app.tsx';
import { ExerciseBadge } from '../exercise.tsx';
import { Badge, ColumnHeads, Loading, localTime, ProblemBox, TableScroll, useLoad } from '../ui.tsx';

/** Every incident, newest first; operators open new ones from here. */
export function IncidentsPage({ can }: { can: Abilities }) {
  const incidents = useLoad(() => apiList<IncidentSummary>('/incidents'), []);
  return (
    <>
      <div class="title-row">
        <h1>Incidents</h1>
        {can.operate && (
          <a class="button" href="#/incidents/new">
            Open an incident
          </a>
        )}
      </div>
      <ProblemBox error={incidents.error} />
      {incidents.loading && !incidents.data && <Loading what="incidents" />}
      {incidents.data && incidents.data.items.length === 0 && <p>No incidents yet.</p>}
      {incidents.data && incidents.data.items.length > 0 && (
        <TableScroll label="Incidents">
          <table>
            <caption class="visually-hidden">Incidents, newest first</caption>
            <ColumnHeads names={['Title', 'Status', 'Severity', 'Type', 'Window', 'Opened by']} />
            <tbody>
              {incidents.data.items.map((incident) => (
                <tr key={incident.id}>
                  <td>
                    <a href={`#/incidents/${incident.id}`}>{incident.title}</a>
                    {incident.exercise && (
                      <>
                        {' '}
                        <ExerciseBadge />
                      </>
                    )}
                  </td>
                  <td>
                    <Badge value={incident.status} />
                  </td>
                  <td>
                    <Badge value={incident.severity} />
                  </td>
                  <td>{incident.type}</td>
                  <td>
                    {localTime(incident.window.start)} – {localTime(incident.window.end)}
                  </td>
                  <td>{incident.createdBy}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
    </>
  );
}
