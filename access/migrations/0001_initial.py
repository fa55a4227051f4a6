"""The access app takes over the tables measures made (its 0001, 0004 and 0007): in the state
only, under their old names; 0002 renames them."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('measures', '0009_moved_to_access'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
            migrations.CreateModel(
                name='AccountSettings',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('language', models.CharField(blank=True, choices=[('', 'Som avtalane mine'), ('nn', 'Nynorsk'), ('nb', 'Bokmål')], default='', max_length=2, verbose_name='målform')),
                    ('user', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='account_settings', to=settings.AUTH_USER_MODEL)),
                ],
                options={
                    'db_table': 'measures_accountsettings',
                    'verbose_name': 'kontoinnstillingar',
                    'verbose_name_plural': 'kontoinnstillingar',
                },
            ),
            migrations.CreateModel(
                name='RoleEvent',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('kind', models.CharField(choices=[('invited', 'invitert'), ('resent', 'invitasjon sendt på nytt'), ('invitation_withdrawn', 'invitasjon trekt tilbake'), ('accepted', 'invitasjon teken imot'), ('changed', 'rolle endra'), ('withdrawn', 'rolle trekt tilbake'), ('not_reached', 'e-post ikkje sendt')], max_length=30, verbose_name='hending')),
                    ('at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='tid')),
                    ('actor_name', models.CharField(blank=True, max_length=150, verbose_name='utført av')),
                    ('person', models.CharField(max_length=254, verbose_name='gjeld')),
                    ('role', models.CharField(choices=[('editor', 'Redaktør (prosjektleiar)'), ('approver', 'Godkjennar for kommune'), ('partner', 'Samarbeidspart (lesetilgang)'), ('ministry', 'Departement')], max_length=20, verbose_name='rolle')),
                    ('organisation_name', models.CharField(blank=True, max_length=200)),
                    ('old_role', models.CharField(blank=True, choices=[('editor', 'Redaktør (prosjektleiar)'), ('approver', 'Godkjennar for kommune'), ('partner', 'Samarbeidspart (lesetilgang)'), ('ministry', 'Departement')], max_length=20)),
                    ('old_organisation_name', models.CharField(blank=True, max_length=200)),
                    ('actor', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ('agreement', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='role_events', to='measures.agreement')),
                ],
                options={
                    'db_table': 'measures_roleevent',
                    'verbose_name': 'rollehending',
                    'verbose_name_plural': 'rollehendingar',
                    'ordering': ['-at', '-id'],
                },
            ),
            migrations.CreateModel(
                name='Invitation',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('email', models.EmailField(max_length=254, verbose_name='e-postadresse')),
                    ('kind', models.CharField(choices=[('editor', 'Redaktør (prosjektleiar)'), ('approver', 'Godkjennar for kommune'), ('partner', 'Samarbeidspart (lesetilgang)'), ('ministry', 'Departement')], max_length=20, verbose_name='rolle')),
                    ('token_hash', models.CharField(editable=False, max_length=64, unique=True)),
                    ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='invitert')),
                    ('expires_at', models.DateTimeField(verbose_name='går ut')),
                    ('accepted_at', models.DateTimeField(blank=True, null=True)),
                    ('withdrawn_at', models.DateTimeField(blank=True, null=True)),
                    ('accepted_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ('agreement', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='invitations', to='measures.agreement')),
                    ('invited_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ('organisation', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='measures.organisation')),
                ],
                options={
                    'db_table': 'measures_invitation',
                    'verbose_name': 'invitasjon',
                    'verbose_name_plural': 'invitasjonar',
                    'ordering': ['-created_at', '-id'],
                    'constraints': [models.CheckConstraint(condition=models.Q(models.Q(('kind', 'approver'), _negated=True), ('organisation__isnull', False), _connector='OR'), name='invited_approver_acts_for_an_organisation')],
                },
            ),
            migrations.CreateModel(
                name='Role',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('kind', models.CharField(choices=[('editor', 'Redaktør (prosjektleiar)'), ('approver', 'Godkjennar for kommune'), ('partner', 'Samarbeidspart (lesetilgang)'), ('ministry', 'Departement')], max_length=20, verbose_name='rolle')),
                    ('agreement', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='roles', to='measures.agreement')),
                    ('organisation', models.ForeignKey(blank=True, help_text='Kommunen ein godkjennar handlar for; organisasjonen til ein samarbeidspart.', null=True, on_delete=django.db.models.deletion.PROTECT, to='measures.organisation')),
                    ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='roles', to=settings.AUTH_USER_MODEL)),
                ],
                options={
                    'db_table': 'measures_role',
                    'verbose_name': 'rolle',
                    'verbose_name_plural': 'roller',
                    'ordering': ['agreement', 'kind', 'user__username'],
                    'constraints': [models.UniqueConstraint(fields=('user', 'agreement', 'kind', 'organisation'), name='role_unique'), models.UniqueConstraint(condition=models.Q(('organisation__isnull', True)), fields=('user', 'agreement', 'kind'), name='role_unique_without_organisation'), models.CheckConstraint(condition=models.Q(models.Q(('kind', 'approver'), _negated=True), ('organisation__isnull', False), _connector='OR'), name='approver_acts_for_an_organisation', violation_error_message='Ein godkjennar må vere knytt til ein kommune.')],
                },
            ),
            ]
        )
    ]
