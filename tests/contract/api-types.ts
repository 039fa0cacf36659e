// docs/decisions/0020 — the server's own types say what the OpenAPI document says. Route handlers, domain results and
// the shared types the console's components and the CLI's output use are the TypeBox schemas' `Static` types; the
// document is generated from the same schemas, and Roster's clients call the API through types generated from the
// document (openapi-typescript in `npm run typecheck`, src/shared/api/generated/openapi.ts; openapi-fetch,
// src/shared/api/api-calls.ts). A typed call checks its own path, parameters and body, one way (what it sends must fit
// the document, what it gets must fit where it goes); this file checks, operation by operation, that the schema a route
// declares and the document's type are exactly equal, both ways, for every operation, including those no client
// calls. That catches what a call site cannot: a TypeBox construct whose `Static` type is not what its JSON Schema
// accepts (`PermissionNameSchema`'s static type was `never`), or a route that starts answering with another schema than
// the shared one named here. Every operation of the document must have a row.
import type { Static, TSchema } from 'typebox';
import type {
  ApplicationSchema,
  CreateApplicationBodySchema,
  CreateApplicationResponseSchema,
  ListApplicationsResponseSchema,
  ListConsentsResponseSchema,
  RotateSecretResponseSchema,
  UpdateApplicationBodySchema,
} from '../../src/shared/api/applications.js';
import type { AuditListSchema, AuditVerificationSchema } from '../../src/shared/api/audit.js';
import type { ChangePasswordBodySchema, LoginBodySchema, LoginResponseSchema, SessionResponseSchema } from '../../src/shared/api/auth.js';
import type {
  AuthorizeBodySchema,
  AuthorizeResponseSchema,
  ExplanationSchema,
  PersonPermissionsSchema,
} from '../../src/shared/api/authorize.js';
import type { operations } from '../../src/shared/api/generated/openapi.js';
import type { GroupProjectListSchema } from '../../src/shared/api/group-projects.js';
import type {
  CreateGroupBodySchema,
  GroupDetailSchema,
  GroupListSchema,
  GroupMemberListSchema,
  GroupSchema,
  MembershipChangeSchema,
  UpdateGroupBodySchema,
} from '../../src/shared/api/groups.js';
import type {
  CreateIdentityProviderBodySchema,
  CreateIdentityProviderResponseSchema,
  IdentityProviderSchema,
  ListIdentityProvidersResponseSchema,
  TestConnectionResponseSchema,
  TestIdentityProviderBodySchema,
  UpdateIdentityProviderBodySchema,
} from '../../src/shared/api/identity-providers.js';
import type {
  ChangeOwnEmailBodySchema,
  CurrentPasswordBodySchema,
  EndOwnSessionsResponseSchema,
  MeResponseSchema,
  OwnSessionsResponseSchema,
  ResetTokenResponseSchema,
  UpdateMeBodySchema,
} from '../../src/shared/api/me.js';
import type {
  ConfirmTotpBodySchema,
  MfaChangeBodySchema,
  MfaResetResponseSchema,
  MfaStatusResponseSchema,
  RecoveryCodesResponseSchema,
  SecondFactorSchema,
  SecuritySettingsBodySchema,
  SecuritySettingsPatchSchema,
  SecuritySettingsResponseSchema,
  StartTotpBodySchema,
  StartTotpResponseSchema,
} from '../../src/shared/api/mfa.js';
import type {
  ChangeEmailBodySchema,
  ChangeRoleBodySchema,
  CreateAccountsBodySchema,
  CreateAccountsResponseSchema,
  EndSessionsResponseSchema,
  ListPeopleResponseSchema,
  LookupPeopleResponseSchema,
  PasswordResetBodySchema,
  PasswordResetResponseSchema,
  PersonDetailSchema,
} from '../../src/shared/api/people.js';
import type { AccessChangeSchema, AccessListSchema, SetAccessBodySchema } from '../../src/shared/api/project-access.js';
import type {
  CreateProjectBodySchema,
  ListProjectsResponseSchema,
  ProjectSchema,
  TransferProjectBodySchema,
  UpdateProjectBodySchema,
} from '../../src/shared/api/projects.js';
import type { PermissionListSchema, RoleListSchema, RoleSchema } from '../../src/shared/api/roles.js';
import type {
  CreateServiceAccountBodySchema,
  CreateServiceAccountResponseSchema,
  ListServiceAccountsResponseSchema,
  RegenerateTokenBodySchema,
  RegenerateTokenResponseSchema,
  ServiceAccountDetailSchema,
  UpdateServiceAccountBodySchema,
} from '../../src/shared/api/service-accounts.js';
import type {
  LinkIdentityBodySchema,
  LinkIdentityResponseSchema,
  OwnIdentitiesResponseSchema,
  ReauthenticateBodySchema,
} from '../../src/shared/api/sso.js';

import type {
  AddWebAuthnCredentialResponseSchema,
  AssertionOptionsResponseSchema,
  FinishWebAuthnRegistrationBodySchema,
  LoginMethodsResponseSchema,
  PasskeyLoginBodySchema,
  RegistrationOptionsResponseSchema,
  RenameWebAuthnCredentialBodySchema,
  WebAuthnChangeProofBodySchema,
  WebAuthnCredentialSchema,
  WebAuthnCredentialsResponseSchema,
} from '../../src/shared/api/webauthn.js';

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Json<T> = T extends { content: { 'application/json': infer J } } ? J : never;
type Success<R> = R extends { 200: infer S } ? Json<S> : R extends { 201: infer S } ? Json<S> : never;
type Body<O> = O extends { requestBody?: { content: { 'application/json': infer B } } } ? B : never;

type Op = keyof operations;
/** A row: the shared schemas of the route's success body (and of its request body, when there is one). */
interface Row<O extends Op, R extends TSchema | 'none', B extends TSchema | 'none' = 'none'> {
  response: [R] extends ['none'] ? true : R extends TSchema ? Same<Static<R>, Success<operations[O]['responses']>> : false;
  body: [B] extends ['none'] ? true : B extends TSchema ? Same<Static<B>, Body<operations[O]>> : false;
}

/** `true` only when both match; a drift shows as "Type 'false' is not assignable to type 'true'" on its row. */
type Matches<T> = T extends { response: true; body: true } ? true : false;
type Contract = { [O in Op]: true };

export const apiContract = {
  checkLiveness: true,
  checkReadiness: true,
  logIn: true as Matches<Row<'logIn', typeof LoginResponseSchema, typeof LoginBodySchema>>,
  logOut: true,
  changePassword: true as Matches<Row<'changePassword', typeof SessionResponseSchema, typeof ChangePasswordBodySchema>>,
  getMe: true as Matches<Row<'getMe', typeof MeResponseSchema>>,
  changeMyUsername: true as Matches<Row<'changeMyUsername', typeof MeResponseSchema, typeof UpdateMeBodySchema>>,
  changeMyEmail: true as Matches<Row<'changeMyEmail', typeof MeResponseSchema, typeof ChangeOwnEmailBodySchema>>,
  resetMyToken: true as Matches<Row<'resetMyToken', typeof ResetTokenResponseSchema, typeof CurrentPasswordBodySchema>>,
  revokeMyToken: true as Matches<Row<'revokeMyToken', 'none', typeof CurrentPasswordBodySchema>>,
  listMySessions: true as Matches<Row<'listMySessions', typeof OwnSessionsResponseSchema>>,
  endMySession: true,
  endMyOtherSessions: true as Matches<Row<'endMyOtherSessions', typeof EndOwnSessionsResponseSchema>>,
  listPeople: true as Matches<Row<'listPeople', typeof ListPeopleResponseSchema>>,
  createPeople: true as Matches<Row<'createPeople', typeof CreateAccountsResponseSchema, typeof CreateAccountsBodySchema>>,
  lookupPeople: true as Matches<Row<'lookupPeople', typeof LookupPeopleResponseSchema>>,
  exportPeople: true,
  getPerson: true as Matches<Row<'getPerson', typeof PersonDetailSchema>>,
  listPersonPermissions: true as Matches<Row<'listPersonPermissions', typeof PersonPermissionsSchema>>,
  changePersonRole: true as Matches<Row<'changePersonRole', typeof PersonDetailSchema, typeof ChangeRoleBodySchema>>,
  changePersonEmail: true as Matches<Row<'changePersonEmail', typeof PersonDetailSchema, typeof ChangeEmailBodySchema>>,
  resetPersonPassword: true as Matches<Row<'resetPersonPassword', typeof PasswordResetResponseSchema, typeof PasswordResetBodySchema>>,
  unlockPerson: true as Matches<Row<'unlockPerson', typeof PersonDetailSchema>>,
  endPersonSessions: true as Matches<Row<'endPersonSessions', typeof EndSessionsResponseSchema>>,
  removePerson: true,
  listProjects: true as Matches<Row<'listProjects', typeof ListProjectsResponseSchema>>,
  createProject: true as Matches<Row<'createProject', typeof ProjectSchema, typeof CreateProjectBodySchema>>,
  getProject: true as Matches<Row<'getProject', typeof ProjectSchema>>,
  updateProject: true as Matches<Row<'updateProject', typeof ProjectSchema, typeof UpdateProjectBodySchema>>,
  deleteProject: true,
  transferProjectOwnership: true as Matches<Row<'transferProjectOwnership', typeof ProjectSchema, typeof TransferProjectBodySchema>>,
  listProjectAccess: true as Matches<Row<'listProjectAccess', typeof AccessListSchema>>,
  setProjectAccess: true as Matches<Row<'setProjectAccess', typeof AccessChangeSchema, typeof SetAccessBodySchema>>,
  removeProjectAccess: true as Matches<Row<'removeProjectAccess', typeof AccessChangeSchema>>,
  listRoles: true as Matches<Row<'listRoles', typeof RoleListSchema>>,
  getRole: true as Matches<Row<'getRole', typeof RoleSchema>>,
  listPermissions: true as Matches<Row<'listPermissions', typeof PermissionListSchema>>,
  checkAuthorization: true as Matches<Row<'checkAuthorization', typeof AuthorizeResponseSchema, typeof AuthorizeBodySchema>>,
  explainAuthorization: true as Matches<Row<'explainAuthorization', typeof ExplanationSchema>>,
  listGroups: true as Matches<Row<'listGroups', typeof GroupListSchema>>,
  createGroup: true as Matches<Row<'createGroup', typeof GroupSchema, typeof CreateGroupBodySchema>>,
  getGroup: true as Matches<Row<'getGroup', typeof GroupDetailSchema>>,
  updateGroup: true as Matches<Row<'updateGroup', typeof GroupSchema, typeof UpdateGroupBodySchema>>,
  deleteGroup: true,
  listGroupMembers: true as Matches<Row<'listGroupMembers', typeof GroupMemberListSchema>>,
  addGroupMember: true as Matches<Row<'addGroupMember', typeof MembershipChangeSchema>>,
  removeGroupMember: true as Matches<Row<'removeGroupMember', typeof MembershipChangeSchema>>,
  listGroupProjects: true as Matches<Row<'listGroupProjects', typeof GroupProjectListSchema>>,
  listAuditEvents: true as Matches<Row<'listAuditEvents', typeof AuditListSchema>>,
  exportAuditEvents: true,
  verifyAuditChain: true as Matches<Row<'verifyAuditChain', typeof AuditVerificationSchema>>,
  completeSecondFactor: true as Matches<Row<'completeSecondFactor', typeof SessionResponseSchema, typeof SecondFactorSchema>>,
  getOwnMfa: true as Matches<Row<'getOwnMfa', typeof MfaStatusResponseSchema>>,
  startTotpSetup: true as Matches<Row<'startTotpSetup', typeof StartTotpResponseSchema, typeof StartTotpBodySchema>>,
  confirmTotpSetup: true as Matches<Row<'confirmTotpSetup', typeof RecoveryCodesResponseSchema, typeof ConfirmTotpBodySchema>>,
  removeTotp: true as Matches<Row<'removeTotp', 'none', typeof MfaChangeBodySchema>>,
  regenerateRecoveryCodes: true as Matches<Row<'regenerateRecoveryCodes', typeof RecoveryCodesResponseSchema, typeof MfaChangeBodySchema>>,
  resetPersonMfa: true as Matches<Row<'resetPersonMfa', typeof MfaResetResponseSchema>>,
  getSecuritySettings: true as Matches<Row<'getSecuritySettings', typeof SecuritySettingsResponseSchema>>,
  updateSecuritySettings: true as Matches<
    Row<'updateSecuritySettings', typeof SecuritySettingsResponseSchema, typeof SecuritySettingsBodySchema>
  >,
  listServiceAccounts: true as Matches<Row<'listServiceAccounts', typeof ListServiceAccountsResponseSchema>>,
  createServiceAccount: true as Matches<
    Row<'createServiceAccount', typeof CreateServiceAccountResponseSchema, typeof CreateServiceAccountBodySchema>
  >,
  getServiceAccount: true as Matches<Row<'getServiceAccount', typeof ServiceAccountDetailSchema>>,
  updateServiceAccount: true as Matches<
    Row<'updateServiceAccount', typeof ServiceAccountDetailSchema, typeof UpdateServiceAccountBodySchema>
  >,
  deleteServiceAccount: true,
  regenerateServiceAccountToken: true as Matches<
    Row<'regenerateServiceAccountToken', typeof RegenerateTokenResponseSchema, typeof RegenerateTokenBodySchema>
  >,
  deactivateServiceAccount: true as Matches<Row<'deactivateServiceAccount', typeof ServiceAccountDetailSchema>>,
  reactivateServiceAccount: true as Matches<Row<'reactivateServiceAccount', typeof ServiceAccountDetailSchema>>,
  listLoginMethods: true as Matches<Row<'listLoginMethods', typeof LoginMethodsResponseSchema>>,
  startPasskeyLogin: true as Matches<Row<'startPasskeyLogin', typeof AssertionOptionsResponseSchema>>,
  logInWithPasskey: true as Matches<Row<'logInWithPasskey', typeof SessionResponseSchema, typeof PasskeyLoginBodySchema>>,
  startSecondFactorWebAuthn: true as Matches<Row<'startSecondFactorWebAuthn', typeof AssertionOptionsResponseSchema>>,
  listWebAuthnCredentials: true as Matches<Row<'listWebAuthnCredentials', typeof WebAuthnCredentialsResponseSchema>>,
  startWebAuthnRegistration: true as Matches<
    Row<'startWebAuthnRegistration', typeof RegistrationOptionsResponseSchema, typeof WebAuthnChangeProofBodySchema>
  >,
  addWebAuthnCredential: true as Matches<
    Row<'addWebAuthnCredential', typeof AddWebAuthnCredentialResponseSchema, typeof FinishWebAuthnRegistrationBodySchema>
  >,
  renameWebAuthnCredential: true as Matches<
    Row<'renameWebAuthnCredential', typeof WebAuthnCredentialSchema, typeof RenameWebAuthnCredentialBodySchema>
  >,
  removeWebAuthnCredential: true as Matches<Row<'removeWebAuthnCredential', 'none', typeof WebAuthnChangeProofBodySchema>>,
  startWebAuthnConfirmation: true as Matches<Row<'startWebAuthnConfirmation', typeof AssertionOptionsResponseSchema>>,
  listApplications: true as Matches<Row<'listApplications', typeof ListApplicationsResponseSchema>>,
  createApplication: true as Matches<Row<'createApplication', typeof CreateApplicationResponseSchema, typeof CreateApplicationBodySchema>>,
  getApplication: true as Matches<Row<'getApplication', typeof ApplicationSchema>>,
  updateApplication: true as Matches<Row<'updateApplication', typeof ApplicationSchema, typeof UpdateApplicationBodySchema>>,
  deleteApplication: true,
  rotateApplicationSecret: true as Matches<Row<'rotateApplicationSecret', typeof RotateSecretResponseSchema>>,
  listOwnApplicationConsents: true as Matches<Row<'listOwnApplicationConsents', typeof ListConsentsResponseSchema>>,
  revokeOwnApplicationConsent: true,
  listIdentityProviders: true as Matches<Row<'listIdentityProviders', typeof ListIdentityProvidersResponseSchema>>,
  createIdentityProvider: true as Matches<
    Row<'createIdentityProvider', typeof CreateIdentityProviderResponseSchema, typeof CreateIdentityProviderBodySchema>
  >,
  getIdentityProvider: true as Matches<Row<'getIdentityProvider', typeof IdentityProviderSchema>>,
  updateIdentityProvider: true as Matches<
    Row<'updateIdentityProvider', typeof IdentityProviderSchema, typeof UpdateIdentityProviderBodySchema>
  >,
  deleteIdentityProvider: true,
  testIdentityProviderConnection: true as Matches<Row<'testIdentityProviderConnection', typeof TestConnectionResponseSchema>>,
  testIssuerConnection: true as Matches<
    Row<'testIssuerConnection', typeof TestConnectionResponseSchema, typeof TestIdentityProviderBodySchema>
  >,
  patchSecuritySettings: true as Matches<
    Row<'patchSecuritySettings', typeof SecuritySettingsResponseSchema, typeof SecuritySettingsPatchSchema>
  >,
  listOwnIdentities: true as Matches<Row<'listOwnIdentities', typeof OwnIdentitiesResponseSchema>>,
  linkOwnIdentity: true as Matches<Row<'linkOwnIdentity', typeof LinkIdentityResponseSchema, typeof LinkIdentityBodySchema>>,
  unlinkOwnIdentity: true,
  startReauthentication: true as Matches<Row<'startReauthentication', typeof LinkIdentityResponseSchema, typeof ReauthenticateBodySchema>>,
} satisfies Contract;
