"""Roles, their log, invitations and account settings moved to the access app: gone from
this app's state only; their tables stay and access.0002 renames them."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('measures', '0008_role_event_labels_sendt'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
            migrations.RemoveField(
                model_name='accountsettings',
                name='user',
            ),
            migrations.RemoveConstraint(
                model_name='invitation',
                name='invited_approver_acts_for_an_organisation',
            ),
            migrations.RemoveConstraint(
                model_name='role',
                name='role_unique',
            ),
            migrations.RemoveConstraint(
                model_name='role',
                name='role_unique_without_organisation',
            ),
            migrations.RemoveConstraint(
                model_name='role',
                name='approver_acts_for_an_organisation',
            ),
            migrations.RemoveField(
                model_name='roleevent',
                name='actor',
            ),
            migrations.RemoveField(
                model_name='roleevent',
                name='agreement',
            ),
            migrations.DeleteModel(
                name='AccountSettings',
            ),
            migrations.RemoveField(
                model_name='invitation',
                name='accepted_by',
            ),
            migrations.RemoveField(
                model_name='invitation',
                name='agreement',
            ),
            migrations.RemoveField(
                model_name='invitation',
                name='invited_by',
            ),
            migrations.RemoveField(
                model_name='invitation',
                name='organisation',
            ),
            migrations.RemoveField(
                model_name='role',
                name='agreement',
            ),
            migrations.RemoveField(
                model_name='role',
                name='organisation',
            ),
            migrations.RemoveField(
                model_name='role',
                name='user',
            ),
            migrations.DeleteModel(
                name='RoleEvent',
            ),
            migrations.DeleteModel(
                name='Invitation',
            ),
            migrations.DeleteModel(
                name='Role',
            ),
            ]
        )
    ]
