/** A dispatch area; its id is the lower-case slug of its name (`sri_ganganagar`). */
export interface Area {
  id: string;
  name: string;
  active: boolean;
}
