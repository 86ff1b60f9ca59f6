import { ValidateBy } from 'class-validator';
import {
  DatedRequest,
  IsText,
  ProfileCountry,
  ProfileEmployees,
  ProfileIndustry,
  ProfileTitle,
  occurredAtDescription,
  profileFieldNames,
} from '../shared/lead-request-fields';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';

// Checked on a property no client sends, because an optional field skips its own validators.
const AtLeastOneProfileField = () =>
  ValidateBy(
    {
      name: 'atLeastOneProfileField',
      validator: {
        validate: (value, args) =>
          value === undefined &&
          profileFieldNames.some(
            (field) => (args?.object as Record<string, unknown>)[field] !== undefined,
          ),
      },
    },
    { message: `send at least one of ${profileFieldNames.join(', ')}` },
  );

export class UpdateLeadProfileRequest extends DatedRequest(
  occurredAtDescription('the capture; a profile update may be dated before later milestones'),
) {
  @ProfileTitle()
  title?: string;

  @ApiPropertyOptional({ minLength: 1, maxLength: 200, example: 'Analytical Engines Ltd' })
  @IsOptional()
  @IsText(200)
  company?: string;

  @ProfileIndustry()
  industry?: string;

  @ProfileCountry()
  country?: string;

  @ProfileEmployees()
  employees?: number;

  @AtLeastOneProfileField()
  profile?: never;
}
