import 'reflect-metadata';
import { Injectable, Module, Controller, Get } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
@Injectable() export class Svc { hi() { return { ok: 1 }; } }
@Controller() export class C { constructor(private readonly s: Svc) {} @Get('x') x() { return this.s.hi(); } }
@Module({ controllers: [C], providers: [Svc] }) export class M {}
export async function make() { const app = await NestFactory.create<NestFastifyApplication>(M, new FastifyAdapter(), { logger: false }); await app.init(); await app.getHttpAdapter().getInstance().ready(); return app; }
