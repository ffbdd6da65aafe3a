import type { TemplateSummary } from '#shared/domain/model.ts';
import { apiList } from '../api.ts';
import type { Abilities } from '../app.tsx';
import { Badge, ColumnHeads, Loading, localTime, ProblemBox, TableScroll, useLoad } from '../ui.tsx';

/** Every template with the status of its latest version and the version broadcasts use. */
export function TemplatesPage({ can }: { can: Abilities }) {
  const templates = useLoad(() => apiList<TemplateSummary>('/templates'), []);
  return (
    <>
      <div class="title-row">
        <h1>Message templates</h1>
        {can.writeTemplates && (
          <a class="button" href="#/templates/new">
            New template
          </a>
        )}
      </div>
      <ProblemBox error={templates.error} />
      {templates.loading && !templates.data && <Loading what="templates" />}
      {templates.data && (
        <TableScroll label="Templates">
          <table>
            <caption class="visually-hidden">Templates</caption>
            <ColumnHeads names={['Name', 'Id', 'Latest version', 'Approved version', 'Updated']} />
            <tbody>
              {templates.data.items.map((template) => (
                <tr key={template.id}>
                  <td>
                    <a href={`#/templates/${template.id}`}>{template.name}</a>
                  </td>
                  <td>
                    <code>{template.id}</code>
                  </td>
                  <td>
                    v{template.latestVersion} <Badge value={template.status} />
                  </td>
                  <td>{template.approvedVersion ? `v${template.approvedVersion}` : '–'}</td>
                  <td>{localTime(template.updatedAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
    </>
  );
}
