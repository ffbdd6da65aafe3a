import type { TemplateVersion } from '#shared/domain/model.ts';

/** A template write (create, update, submit, approve; reject adds its reason): the version it created or moved. */
export type VersionRef = Pick<TemplateVersion, 'id' | 'version' | 'status'>;

/** `template` as a VersionRef, whatever else it holds. */
export const versionRef = ({ id, version, status }: VersionRef): VersionRef => ({ id, version, status });
