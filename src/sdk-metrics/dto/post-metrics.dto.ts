import { Type } from 'class-transformer';
import {
  IsArray,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  ValidateIf,
  ValidateNested,
} from 'class-validator';

export class MetricAttributeDto {
  @IsString() key!: string;

  /** The Node SDK sends `null` for the `target` attribute when it has none. */
  @ValidateIf((_, value) => value !== null)
  @IsString()
  value!: string | null;
}

export class MetricsDataDto {
  @IsNumber() timestamp!: number;
  @IsInt() count!: number;
  @IsString() metricsType!: string;

  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => MetricAttributeDto)
  attributes!: MetricAttributeDto[];
}

export class TargetAttributeDto {
  @IsString() key!: string;
  @IsString() value!: string;
}

export class TargetDataDto {
  @IsString() identifier!: string;
  @IsOptional() @IsString() name?: string;

  @IsOptional()
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => TargetAttributeDto)
  attributes?: TargetAttributeDto[];
}

/** An SDK's metrics batch (docs/sdk-api.md); both parts are optional. */
export class PostMetricsDto {
  @IsOptional()
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => MetricsDataDto)
  metricsData?: MetricsDataDto[];

  @IsOptional()
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => TargetDataDto)
  targetData?: TargetDataDto[];
}
