import { Card, Group, SimpleGrid, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import type { ComponentType } from 'react';
import { Link } from 'react-router';
import { IconArrowRight, IconProfile } from '../components/icons';
import { PageTitle } from '../components/page-title';
import { RoleBadge, roleLabel } from '../components/role-badge';
import { visibleAreas } from '../features/navigation/console-areas';
import { useSession } from '../features/session/session-context';
import classes from './home-page.module.css';

interface Destination {
  title: string;
  path: string;
  description: string;
  icon: ComponentType<{ size?: number }>;
}

/** `/`: a greeting with the caller's role, and cards for the areas they may use. */
export function HomePage() {
  const me = useSession();
  const destinations: Destination[] = [
    ...visibleAreas(me.abilities),
    {
      title: 'Profile settings',
      path: '/profile',
      description: 'Your screen name, email, password, sessions and personal API token.',
      icon: IconProfile,
    },
  ];
  const role = roleLabel(me.effectiveRole);
  const viaGroup = me.effectiveRole !== me.user.role;

  return (
    <Stack gap="xl">
      <Stack gap={6}>
        <PageTitle documentTitle="Home">Welcome, {me.user.username}</PageTitle>
        <Text size="lg" c="dimmed">
          You are {/^[AEIOU]/.test(role) ? 'an' : 'a'} <RoleBadge role={me.effectiveRole} size="lg" /> on this Roster server
          {viaGroup ? `, through a group (your own role is ${roleLabel(me.user.role)})` : ''}.
        </Text>
      </Stack>

      <section aria-labelledby="home-destinations">
        <Title order={2} fz="h3" id="home-destinations" mb="md">
          Where to go
        </Title>
        <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }} spacing="lg">
          {destinations.map((destination) => (
            <Card key={destination.path} component={Link} to={destination.path} className={classes.card}>
              <Group gap="sm" wrap="nowrap">
                <ThemeIcon size={40} radius="md" variant="light" aria-hidden="true">
                  <destination.icon size={22} />
                </ThemeIcon>
                <Title order={3} fz="h4">
                  {destination.title}
                </Title>
              </Group>
              <Text size="sm" c="dimmed">
                {destination.description}
              </Text>
              <span className={classes.cardFooter} aria-hidden="true">
                Open <IconArrowRight size={16} />
              </span>
            </Card>
          ))}
        </SimpleGrid>
      </section>
    </Stack>
  );
}
