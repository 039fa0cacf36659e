import { createBrowserRouter, Navigate } from 'react-router';
import { RequireSession } from './features/session/require-session';
import { ApplicationPage } from './routes/application-page';
import { ApplicationsPage } from './routes/applications-page';
import { AuditPage } from './routes/audit-page';
import { GroupPage } from './routes/group-page';
import { GroupsPage } from './routes/groups-page';
import { HomePage } from './routes/home-page';
import { IdentityProviderPage } from './routes/identity-provider-page';
import { IdentityProvidersPage } from './routes/identity-providers-page';
import { InteractionPage } from './routes/interaction-page';
import { LoginPage } from './routes/login-page';
import { NotFoundRoute } from './routes/not-found-page';
import { PeoplePage } from './routes/people-page';
import { PersonPage } from './routes/person-page';
import { ProfilePage } from './routes/profile-page';
import { ProjectPage } from './routes/project-page';
import { ProjectsPage } from './routes/projects-page';
import { RolePage } from './routes/role-page';
import { RolesPage } from './routes/roles-page';
import { RouteErrorPage } from './routes/route-error-page';
import { SecuritySettingsPage } from './routes/security-settings-page';

/** The console's addresses (docs/product/console.md#addresses): stable and bookmarkable. */
export function createRouter() {
  return createBrowserRouter([
    {
      errorElement: <RouteErrorPage />,
      children: [
        { path: '/login', element: <LoginPage /> },
        // An application's sign-in through Roster's OpenID Connect provider: public, like the login page.
        { path: '/interaction/:uid', element: <InteractionPage /> },
        {
          element: <RequireSession />,
          children: [
            { index: true, element: <HomePage /> },
            { path: 'profile', element: <ProfilePage /> },
            { path: 'people', element: <PeoplePage /> },
            { path: 'people/:username', element: <PersonPage /> },
            { path: 'projects', element: <ProjectsPage /> },
            { path: 'projects/:id', element: <ProjectPage /> },
            { path: 'groups', element: <GroupsPage /> },
            { path: 'groups/:groupId', element: <GroupPage /> },
            { path: 'audit', element: <AuditPage /> },
            { path: 'settings', element: <Navigate to="/settings/roles" replace /> },
            { path: 'settings/roles', element: <RolesPage /> },
            { path: 'settings/roles/:roleId', element: <RolePage /> },
            { path: 'settings/security', element: <SecuritySettingsPage /> },
            { path: 'settings/applications', element: <ApplicationsPage /> },
            { path: 'settings/applications/:applicationId', element: <ApplicationPage /> },
            { path: 'settings/identity-providers', element: <IdentityProvidersPage /> },
            { path: 'settings/identity-providers/:providerId', element: <IdentityProviderPage /> },
          ],
        },
        { path: '*', element: <NotFoundRoute /> },
      ],
    },
  ]);
}
