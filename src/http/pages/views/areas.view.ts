/** Admin dispatch areas: add, rename, (de)activate, delete when unused. */
import { html } from '../../../lib/html.js';
import type { Area } from '../../../domain/areas/area.js';
import { layout, type PageFrame } from './layout.view.js';

export function areasView(frame: PageFrame, areas: Area[]) {
  const csrf = html`<input type="hidden" name="_csrf" value="${frame.csrfToken}">`;
  return layout(
    frame,
    html`<section class="card">
  <h1>Dispatch areas</h1>
  <p class="muted">The id never changes (users, bags and history refer to it); renaming changes only what people read.
  An area that users or bags belong to can be deactivated but not deleted.</p>
  <div class="table-wrap"><table class="list">
    <thead><tr><th>Id</th><th>Name and status</th><th></th></tr></thead>
    <tbody>
    ${areas.map(
      (a) => html`<tr id="area-${a.id}">
      <td><code>${a.id}</code></td>
      <td><form method="post" action="/admin/areas/${a.id}" class="row">${csrf}
        <input name="name" value="${a.name}" required minlength="2" maxlength="64" aria-label="Name of ${a.id}">
        <select name="active" aria-label="Status of ${a.id}">
          <option value="true"${a.active ? html` selected` : ''}>active</option>
          <option value="false"${a.active ? '' : html` selected`}>inactive</option>
        </select>
        <button>Save</button></form></td>
      <td><form method="post" action="/admin/areas/${a.id}/delete" class="inline">${csrf}<button>Delete</button></form></td>
    </tr>`,
    )}
    </tbody>
  </table></div>
</section>
<section class="card">
  <h2>New area</h2>
  <form method="post" action="/admin/areas" class="row">${csrf}
    <input name="name" required minlength="2" maxlength="64" aria-label="New area name" placeholder="Name">
    <button class="primary">Add area</button>
  </form>
</section>`,
  );
}
