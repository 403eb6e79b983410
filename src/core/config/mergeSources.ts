/**
 * Combines server definitions from their sources in order of trust: the user's settings, the user
 * profile's mcp.json, then workspace files. A workspace server cannot take the name of a settings or
 * profile server (which would give it that name's serverSampling policy, e.g. "auto" or "Always
 * allow"): both are kept, the workspace's renamed "<name> (workspace)", with a warning that says so.
 * Any other clash keeps the first definition and reports the later one as ignored.
 */
import type { DefinitionError, ServerDefinition } from './serverDefinition';

export interface SourceDefinitions {
  readonly source: string;
  /** A workspace folder's .vscode/mcp.json (otherwise the user's own: settings or profile). */
  readonly workspace: boolean;
  readonly definitions: readonly ServerDefinition[];
}

export function mergeServerSources(sources: readonly SourceDefinitions[]): { definitions: ServerDefinition[]; errors: DefinitionError[] } {
  const definitions: ServerDefinition[] = [];
  const errors: DefinitionError[] = [];
  const profileNames = new Set<string>();
  const taken = (name: string) => definitions.some((d) => d.name === name);
  for (const { source, workspace, definitions: list } of sources) {
    for (const definition of list) {
      if (workspace && profileNames.has(definition.name)) {
        let name = `${definition.name} (workspace)`;
        for (let n = 2; taken(name); n++) name = `${definition.name} (workspace ${n})`;
        errors.push({
          serverName: name,
          source,
          message: `Server "${definition.name}" in ${source} is shown as "${name}": a server named "${definition.name}" is defined in your settings or profile, and a workspace cannot take its name (nor its serverSampling settings).`,
        });
        definitions.push({ ...definition, name });
      } else if (taken(definition.name)) {
        errors.push({ serverName: definition.name, source, message: `Server "${definition.name}" in ${source} is ignored: a server with that name is already defined.` });
      } else {
        definitions.push(definition);
        if (!workspace) profileNames.add(definition.name);
      }
    }
  }
  return { definitions, errors };
}
