import { z } from 'zod';

/**
 * Response schemas that become named OpenAPI components (`#/components/schemas/<id>`). A registry of
 * their own, not zod's global one, so nothing else registered in the process leaks into the document.
 */
export const responseComponents = z.registry<{ id: string }>();
